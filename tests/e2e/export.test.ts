// `labelmap export` run as a user runs it: stdout, stderr and exit code.
// runCli runs the built binary (the end-to-end tests of this command); runInProcess runs the
// same program in-process (tests/helpers/cli.ts): same stdout, stderr and exit code.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPORTS } from '../../src/export/index.js';
import { renderExport } from '../../src/export/render.js';
import { runCli, tempDir, runInProcess } from '../helpers/cli.js';
import { fixtureBundle, fixturePath } from '../export/helpers.js';

const SD = path.join('fixtures', 'export', 'self-driving.json');

describe('labelmap export --bundle <file> --format <f>', () => {
  it.each(EXPORTS.map((f) => f.id))('--format %s prints the export on stdout, the same on every run', async (format) => {
    const first = await runInProcess(['export', '--bundle', SD, '--format', format]);
    expect(first).toEqual({ code: 0, stdout: renderExport(fixtureBundle('self-driving'), format), stderr: '' });
    expect((await runInProcess(['export', '--bundle', SD, '--format', format])).stdout).toBe(first.stdout);
  });

  it('reads a 16-bit unified bundle, and labelmap.json inside a folder', async () => {
    const dir = tempDir({ 'out/unified/labelmap.json': readFileSync(fixturePath('unified-16'), 'utf8') });
    const r = await runInProcess(['export', '--bundle', 'out/unified', '--format', 'hf'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).id2label['1000']).toBe('sky');
  });

  it('--out writes the file atomically (an old file replaced) and prints nothing on stdout; a missing folder is refused', () => {
    const dir = tempDir({ 'gen/labels.py': 'old\n' });
    const r = runCli(['export', '--bundle', path.resolve(SD), '--format', 'python', '--out', 'gen/labels.py'], { cwd: dir });
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'wrote gen/labels.py (python, 9 labels)\n' });
    expect(readFileSync(path.join(dir, 'gen', 'labels.py'), 'utf8')).toBe(renderExport(fixtureBundle('self-driving'), 'python'));
    // The folder of an --out file is the user's: a typo must not become a tree of new folders.
    const missing = runCli(['export', '--bundle', path.resolve(SD), '--format', 'yolo', '--out', 'a/b/data.yaml', '--quiet'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('labelmap: a/b/data.yaml: error output-parent-missing: the folder "a/b" for the --out file does not exist');
    expect(missing.stderr).toContain('fix: create it first: `mkdir -p a/b`, or pass --out in a folder that exists');
    expect(existsSync(path.join(dir, 'a'))).toBe(false);
    mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
    const nested = runCli(['export', '--bundle', path.resolve(SD), '--format', 'yolo', '--out', 'a/b/data.yaml', '--quiet'], { cwd: dir });
    expect(nested).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(path.join(dir, 'a', 'b', 'data.yaml'), 'utf8')).toContain('names:\n  0: pedestrian\n');
  });

  it('labelbox: the ontology the binary writes is read back by extract labelbox (names in train-id order, colours, tool kind)', () => {
    const dir = tempDir({});
    const out = runCli(['export', '--vertical', 'self-driving', '--format', 'labelbox', '--shape', 'mask', '--out', 'onto.json'], { cwd: dir });
    expect(out).toMatchObject({ code: 0, stdout: '' });
    expect(out.stderr).toContain('wrote onto.json (labelbox, 36 labels)\n');
    const ontology = JSON.parse(readFileSync(path.join(dir, 'onto.json'), 'utf8')) as { tools: { tool: string; name: string; color: string }[] };
    const labels = runCli(['export', '--vertical', 'self-driving', '--format', 'hf'], { cwd: dir });
    const id2label = (JSON.parse(labels.stdout) as { id2label: Record<string, string> }).id2label;
    expect(ontology.tools.map((t) => t.name)).toEqual(Object.keys(id2label).sort((a, b) => Number(a) - Number(b)).map((id) => id2label[id]));
    const back = runCli(['extract', 'labelbox', 'onto.json', '--stdout'], { cwd: dir });
    expect(back.code).toBe(0);
    const rows = back.stdout.trim().split('\n').slice(1).map((l) => l.split(','));
    expect(rows.map((r) => r[1])).toEqual(ontology.tools.map((t) => t.name));
    expect(rows.map((r) => r[5])).toEqual(ontology.tools.map((t) => t.color));
    expect(new Set(rows.map((r) => r.at(-1)))).toEqual(new Set(['raster-segmentation']));
  });

  it('--shape reaches the annotation tool formats', async () => {
    const r = await runInProcess(['export', '--bundle', SD, '--format', 'label-studio', '--shape', 'rectangle']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<RectangleLabels name="label" toName="image">');
  });

  it('--help lists every format', async () => {
    const r = await runInProcess(['export', '--help']);
    expect(r.code).toBe(0);
    for (const f of EXPORTS) expect(r.stdout.replace(/\s+/g, ' ')).toContain(`"${f.id}"`);
  });
});

describe('labelmap export: errors (exit 2, no stack trace)', () => {
  it('an unknown --format: commander names the choices', async () => {
    const r = await runInProcess(['export', '--bundle', SD, '--format', 'pascal']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("error: option '--format <format>' argument 'pascal' is invalid. Allowed choices are json, python, hf,");
  });

  it('no --format, no --bundle: usage errors with the fix', async () => {
    expect(await runInProcess(['export', '--bundle', SD])).toEqual({ code: 2, stdout: '', stderr: 'labelmap: error export-format-missing: missing --format\n  fix: pass --format <format>; `labelmap export --help` lists them\n' });
    expect(await runInProcess(['export', '--format', 'json'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'labelmap: error export-source: no label set given\n  fix: pass --vertical <name> (compiled from the sheets), --unified (every taxonomy class), or --bundle <labelmap.json> (written by `labelmap merge`)\n',
    });
  });

  it('a missing bundle names the path as typed', () => {
    const r = runCli(['export', '--bundle', 'missing/labelmap.json', '--format', 'json']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'labelmap: missing/labelmap.json: error file-not-found: bundle not found\n  fix: check the path\n' });
  });

  /** `labelmap export --bundle <file>` on the self-driving fixture changed by `edit`. */
  function exportEdited(edit: (bundle: any) => void, file: string, format: string) {
    const bundle = JSON.parse(readFileSync(fixturePath('self-driving'), 'utf8'));
    edit(bundle);
    const dir = tempDir({ [file]: JSON.stringify(bundle) });
    return runCli(['export', '--bundle', file, '--format', format], { cwd: dir });
  }

  it('a malformed bundle names the file and the JSON path, with what was expected and found', async () => {
    const r = exportEdited((b) => (b.datasets[1].lut[2].train_id = '5'), 'bad.json', 'python');
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'labelmap: bad.json $.datasets[1].lut[2].train_id: error bundle-invalid: wrong value: expected a number, found "5"\n' +
        '  fix: the bundle was edited by hand or damaged: write it again with `labelmap merge` instead of editing it\n',
    });
  });

  it('a bundle cut short: the line and column of the JSON error', async () => {
    const text = readFileSync(fixturePath('self-driving'), 'utf8');
    const dir = tempDir({ 'cut.json': text.slice(0, text.indexOf('"labels"')) });
    const r = await runInProcess(['export', '--bundle', 'cut.json', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^labelmap: cut\.json:\d+:\d+: error bundle-json: not valid JSON: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a bundle of another format_version says which and what to do', async () => {
    const r = exportEdited((b) => (b.format_version = 3), 'v3.json', 'hf');
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'labelmap: v3.json $.format_version: error bundle-version: the bundle has format_version 3; this labelmap reads format_version 2\n' +
        '  fix: the bundle was written by a newer labelmap: upgrade labelmap, or write the bundle again with this one (`labelmap merge`)\n',
    });
    const old = exportEdited((b) => (b.format_version = 1), 'v1.json', 'hf');
    expect(old.stderr).toBe(
      'labelmap: v1.json $.format_version: error bundle-version: the bundle has format_version 1; this labelmap reads format_version 2\n' +
        '  fix: write the bundle again with this labelmap (`labelmap merge`)\n',
    );
  });

  it('a file that is not a bundle at all', async () => {
    const dir = tempDir({ 'coco.json': '{"images": [], "annotations": [], "categories": []}' });
    const r = await runInProcess(['export', '--bundle', 'coco.json', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('coco.json $.format: error bundle-format: not a labelmap bundle');
  });

  it('--shape with a format that does not take it', async () => {
    const r = await runInProcess(['export', '--bundle', SD, '--format', 'python', '--shape', 'mask']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('labelmap: error export-shape: --shape does not apply to --format python\n  fix: --shape applies to cvat (any, rectangle, polygon, mask), label-studio (polygon, rectangle, mask) and labelbox (polygon, rectangle, mask)\n');
  });

  it('--out into a path that cannot be written leaves nothing behind and exits 2', async () => {
    const dir = tempDir({ 'file.txt': 'x' });
    const r = await runInProcess(['export', '--bundle', path.resolve(SD), '--format', 'json', '--out', 'file.txt/labels.json'], { cwd: dir });
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'labelmap: file.txt/labels.json: error file-unwritable: cannot write the export: a part of the path is a file, not a folder (EEXIST)\n' +
        '  fix: write to a file in a folder you can write, e.g. --out labelmap_labels.py in the working folder\n',
    });
    expect(readdirSync(dir)).toEqual(['file.txt']);
  });
});
