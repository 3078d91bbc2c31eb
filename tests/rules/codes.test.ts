// Every code in the wording table is emitted somewhere in src/, and every code emitted has its
// wording: a code nobody emits is dead text, a code without wording prints nothing useful. (The
// compiler checks the second too, through `Code`; this also catches a code behind a cast.)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../src/findings.js';
import { ROOT } from '../helpers/cli.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

const SRC = path.join(ROOT, 'src');
const FINDINGS = path.join(SRC, 'findings.ts');
const text = sources(SRC)
  .filter((f) => f !== FINDINGS)
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');
const codes = Object.keys(MESSAGES);

describe('finding codes', () => {
  it.each(codes)('%s is emitted in src/', (code) => {
    expect(text.includes(`'${code}'`), `no '${code}' outside src/findings.ts`).toBe(true);
  });

  it('every code given to finding() or LabelmapError() has its wording', () => {
    const emitted = [...text.matchAll(/(?:finding|LabelmapError)\(\s*'([a-z0-9-]+)'/g)].map((m) => m[1]!);
    expect(emitted.length).toBeGreaterThan(50);
    expect([...new Set(emitted)].filter((c) => !(c in MESSAGES))).toEqual([]);
  });
});
