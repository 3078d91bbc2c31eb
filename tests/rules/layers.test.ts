// The core is pure: no module under taxonomy/, versioning/, rules/ or text/ reads the disk, neither
// itself (node:fs) nor through the sheet readers (sheets/io, sheets/discover, sheets/set, ...).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const PURE = ['taxonomy', 'versioning', 'rules', 'text'];
/** Modules under src/sheets/ that read or write files (the rest are pure: schema, csv, types). */
const FS_SHEETS = ['io', 'discover', 'set', 'source', 'git', 'lock-file'];

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gms), ...text.matchAll(/import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!);
}

describe('pure layers', () => {
  for (const dir of PURE) {
    const files = readdirSync(path.join(ROOT, 'src', dir)).filter((f) => f.endsWith('.ts'));
    it.each(files)(`src/${dir}/%s imports neither node:fs nor a sheet reader`, (base) => {
      const file = path.join(ROOT, 'src', dir, base);
      const bad = importsOf(file).filter((spec) => {
        if (/^(node:)?fs(\/promises)?$/.test(spec) || spec === 'node:child_process') return true;
        if (!spec.startsWith('.')) return false;
        const target = path.relative(path.join(ROOT, 'src'), path.resolve(path.dirname(file), spec)).replace(/\.js$/, '');
        return FS_SHEETS.some((m) => target === `sheets/${m}`) || target.startsWith('cli/') || target === 'compile';
      });
      expect(bad).toEqual([]);
    });
  }

  it('the check sees an import (it is not vacuous)', () => {
    expect(importsOf(path.join(ROOT, 'src', 'io', 'read.ts'))).toContain('node:fs');
    expect(importsOf(path.join(ROOT, 'src', 'rules', 'types.ts'))).toContain('../sheets/types.js');
  });
});
