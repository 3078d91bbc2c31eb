// Names that come from input (--name, names inside dataset files, sheet references, --out, sheet
// file names that become lut/<dataset>.csv) can never place a file outside the sheets folder or
// the output folder. The work folder sits two levels deep in a fresh root; after each hostile
// run, every file of the whole root is compared (fingerprint): what changed must be inside the
// folder the command writes to.
import { describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, runInProcess, tempDir } from '../helpers/cli.js';
import { fingerprint } from './helpers.js';

function workspace(): { root: string; work: string } {
  const root = tempDir({});
  const work = path.join(root, 'a', 'b', 'work');
  mkdirSync(work, { recursive: true });
  cpSync(path.join(ROOT, 'sheets'), path.join(work, 'sheets'), { recursive: true });
  return { root, work };
}

/** The paths (relative to root) that a run added, changed or removed. */
function changed(before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => before[k] !== after[k]).sort();
}

describe('names from input stay inside the folder written to', () => {
  it('--name: anything but a safe sheet name is refused and nothing is written', async () => {
    const { root, work } = workspace();
    const config = path.join(root, 'config.json');
    writeFileSync(config, JSON.stringify({ model_type: 'm', id2label: { 0: 'cat', 1: 'dog' } }));
    const before = fingerprint(root);
    const names = ['../../etc/x', 'a/b', '..', 'x/../../y', '/tmp/abs', 'x\\..\\y', '.hidden', 'UPPER', 'a'.repeat(101), 'x@1.0.0', 'a..b', ''];
    await Promise.all(
      names.map((name) =>
        (async () => {
          const r = await runInProcess(['extract', 'hf', config, `--name=${name}`], { cwd: work });
          expect(r.code, name).toBe(2);
          expect(r.stderr, name).toContain('error extract-name:');
        })(),
      ),
    );
    expect(changed(before, fingerprint(root))).toEqual([]);
  });

  it('names inside dataset files are made safe: the sheet lands in sheets/datasets/', async () => {
    const { root, work } = workspace();
    const cases: [string, object, string][] = [
      // HF sheets are named after the file (never after _name_or_path or model_type inside it).
      ['hf.json', { _name_or_path: '../../../../tmp/evil', id2label: { 0: 'cat' } }, 'hf'],
      ['hf2.json', { _name_or_path: '..', model_type: '../../x', id2label: { 0: 'cat' } }, 'hf2'],
      ['hf3.json', { _name_or_path: '/', model_type: '..\\..\\', id2label: { 0: 'cat' } }, 'hf3'],
      ['vistas.json', { labels: [{ name: 'construction--flat--road', readable: 'Road' }], version: '../../../../x' }, 'mapillary-vistas'],
    ];
    for (const [file, content, sheet] of cases) {
      writeFileSync(path.join(root, file), JSON.stringify(content));
      const before = fingerprint(root);
      const format = file.startsWith('hf') ? 'hf' : 'mapillary';
      const r = await runInProcess(['extract', format, path.join(root, file)], { cwd: work });
      expect(r.code, r.stderr).toBe(0);
      expect(changed(before, fingerprint(root))).toEqual([`a/b/work/sheets/datasets/${sheet}@1.0.0.csv`]);
    }
  });

  it('sheet references with ../ or / are refused by every command that takes one, and nothing is written', async () => {
    const { root, work } = workspace();
    const before = fingerprint(root);
    const commands = [
      ['show', 'datasets/../../x'],
      ['bump', '../x', 'minor'],
      ['bump', '/etc/passwd', 'major'],
      ['merge', '--vertical', '../x'],
      ['merge', '--vertical', 'self-driving', '--datasets', '../../coco'],
      ['merge', '--taxonomy', '../unified'],
      ['export', '--vertical', '../../self-driving', '--format', 'hf'],
    ];
    await Promise.all(
      commands.map((args) =>
        (async () => {
          const r = await runInProcess(args, { cwd: work });
          expect(r.code, args.join(' ')).toBe(2);
          expect(r.stderr, args.join(' ')).toMatch(/error (sheet-ref-invalid|datasets-list-invalid|sheet-ref-not-found): /);
        })(),
      ),
    );
    expect(changed(before, fingerprint(root))).toEqual([]);
  });

  it('merge --out writes only inside the folder it names; sheet file names that are not safe never become lut files', async () => {
    const { root, work } = workspace();
    // A dataset and a mapping whose names are not safe sheet names: listed as findings, never read.
    writeFileSync(path.join(work, 'sheets', 'datasets', 'a..b@1.0.0.csv'), 'id,name,display_name,category,train_id,color,is_thing,evaluate\n1,x,,,,,,\n');
    writeFileSync(path.join(work, 'sheets', 'mappings', 'a..b@1.0.0.csv'), 'source,target,note\nx,ignore,\n');
    const before = fingerprint(root);
    const r = await runInProcess(['merge', '--vertical', 'self-driving', '--out', '../outside', '--quiet'], { cwd: work });
    expect(r.code, r.stderr).toBe(0);
    const written = changed(before, fingerprint(root));
    expect(written.length).toBeGreaterThan(3);
    for (const file of written) expect(file).toMatch(/^a\/b\/outside(\/\.labelmap-output|\/labels\.csv|\/label_sets\.csv|\/coverage\.csv|\/labelmap\.json|\/lut|\/lut\/[a-z0-9][a-z0-9._-]*\.csv)?$/);
    expect(written).not.toContain('a/b/outside/lut/a..b.csv');
  });
});
