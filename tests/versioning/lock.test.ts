import { describe, expect, it } from 'vitest';
import { formatFinding, LabelmapError } from '../../src/findings.js';
import { parseSheetText } from '../../src/sheets/csv.js';
import type { RowOf, SheetKind } from '../../src/sheets/schema.js';
import { buildLock, checkBumps, checkLock, formatLock, parseLock, type VersionedSheet } from '../../src/versioning/lock.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);

function rows<K extends SheetKind>(kind: K, csv: string): RowOf[K][] {
  return parseSheetText(kind, csv, 'x.csv').sheet!.rows;
}

describe('lock file', () => {
  it('sorts by kind, name and semver, and formats byte-stably', () => {
    const lock = buildLock([
      { rel: 'verticals/indoor@1.0.0.csv', sha256: A },
      { rel: 'datasets/coco@1.10.0.csv', sha256: B },
      { rel: 'datasets/coco@1.9.0.csv', sha256: C },
      { rel: 'mappings/coco@1.0.0.csv', sha256: A },
      { rel: 'datasets/cityscapes@1.0.0.csv', sha256: A },
      { rel: 'taxonomy/unified@2.0.0.csv', sha256: A },
    ]);
    expect(lock.sheets.map((e) => e.file)).toEqual([
      'datasets/cityscapes@1.0.0.csv',
      'datasets/coco@1.9.0.csv',
      'datasets/coco@1.10.0.csv',
      'taxonomy/unified@2.0.0.csv',
      'mappings/coco@1.0.0.csv',
      'verticals/indoor@1.0.0.csv',
    ]);
    const text = formatLock(lock);
    expect(text.endsWith('}\n')).toBe(true);
    expect(formatLock(buildLock([...lock.sheets].reverse().map((e) => ({ rel: e.file, sha256: e.sha256 }))))).toBe(text);
    expect(parseLock(text, 'sheets/labelmap.lock.json')).toEqual(lock);
  });

  it('names the JSON path of a bad entry', () => {
    const bad = JSON.stringify({ format: 'labelmap-lock', format_version: 1, sheets: [{ file: 'a@1.0.0.csv', sha256: A }, { file: 'b', sha256: 'xyz' }] });
    try {
      parseLock(bad, 'sheets/labelmap.lock.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LabelmapError);
      const f = (error as LabelmapError).finding;
      expect(f).toMatchObject({ code: 'lock-invalid', file: 'sheets/labelmap.lock.json', path: '$.sheets[1].sha256' });
      expect(formatFinding(f)).toContain('sha256 of 64 lower-case hex digits');
    }
    expect(() => parseLock('{', 'l.json')).toThrow(/not JSON/);
  });
});

describe('checkLock', () => {
  const lock = buildLock([
    { rel: 'datasets/coco@1.0.0.csv', sha256: A },
    { rel: 'mappings/coco@1.0.0.csv', sha256: B },
  ]);

  it('is silent when the locked files are unchanged, and ignores unlocked files', () => {
    expect(checkLock(lock, [
      { rel: 'datasets/coco@1.0.0.csv', sha256: A },
      { rel: 'mappings/coco@1.0.0.csv', sha256: B },
      { rel: 'mappings/coco@1.1.0.csv', sha256: C },
    ])).toEqual([]);
  });

  it('finds a changed locked file (error, fix names labelmap bump) and a missing one (warning)', () => {
    const findings = checkLock(lock, [{ rel: 'datasets/coco@1.0.0.csv', sha256: C }]);
    expect(findings.map((f) => [f.code, f.severity, f.file])).toEqual([
      ['lock-sheet-changed', 'error', 'datasets/coco@1.0.0.csv'],
      ['lock-sheet-missing', 'error', 'mappings/coco@1.0.0.csv'],
    ]);
    const text = formatFinding(findings[0]!);
    expect(text).toContain('aaaaaaaaaaaa');
    expect(text).toContain('cccccccccccc');
    expect(text).toContain('labelmap bump datasets/coco <major|minor|patch>');
  });
});

describe('checkBumps', () => {
  const HEAD = 'source,target,note\n';
  const v = (version: string, body: string, sha256?: string): VersionedSheet => ({
    kind: 'mapping',
    name: 'coco',
    version,
    rel: `mappings/coco@${version}.csv`,
    rows: rows('mapping', HEAD + body),
    sha256,
  });

  it('accepts steps that cover their change', () => {
    expect(checkBumps([v('1.0.0', 'person,person,\n'), v('1.1.0', 'person,person,\nbicycle,bicycle,\n'), v('2.0.0', 'person,human,\n')])).toEqual([]);
  });

  it('finds a step too small, with the version it needs', () => {
    const findings = checkBumps([v('1.1.0', 'person,person,\nhat,accessory,\n'), v('1.0.0', 'person,person,\n'), v('1.1.1', 'person,person,\n')]);
    expect(findings.map((f) => [f.code, f.file, f.args.actual, f.args.required, f.args.suggest])).toEqual([
      ['bump-too-small', 'mappings/coco@1.1.1.csv', 'patch', 'major', '2.0.0'],
    ]);
    const text = formatFinding(findings[0]!);
    expect(text).toContain('removed mapping "hat"');
    expect(text).toContain('renaming the file to coco@2.0.0.csv: `mv mappings/coco@1.1.1.csv mappings/coco@2.0.0.csv`');
  });

  it('skips versions already released with the same bytes, but not an edited one', () => {
    const sheets = [v('1.0.0', 'person,person,\n', A), v('1.0.1', 'person,human,\n', B)];
    const lock = buildLock([{ rel: 'mappings/coco@1.0.0.csv', sha256: A }, { rel: 'mappings/coco@1.0.1.csv', sha256: B }]);
    expect(checkBumps(sheets, { lock })).toEqual([]);
    const edited = buildLock([{ rel: 'mappings/coco@1.0.0.csv', sha256: A }, { rel: 'mappings/coco@1.0.1.csv', sha256: C }]);
    expect(checkBumps(sheets, { lock: edited }).map((f) => f.code)).toEqual(['bump-too-small']);
    expect(checkBumps(sheets).map((f) => f.code)).toEqual(['bump-too-small']);
  });

  it('warns about a new version without any change', () => {
    expect(checkBumps([v('1.0.0', 'person,person,\n'), v('1.0.1', 'person,person,\n')]).map((f) => [f.code, f.severity])).toEqual([
      ['bump-no-change', 'warning'],
    ]);
  });

  it('compares versions of one sheet only', () => {
    const other: VersionedSheet = { ...v('1.0.1', 'x,y,\n'), name: 'voc', rel: 'mappings/voc@1.0.1.csv' };
    expect(checkBumps([v('1.0.0', 'person,person,\n'), other])).toEqual([]);
  });
});
