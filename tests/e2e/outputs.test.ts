// The newcomer's path (issue 22), what export and the --out files do, through the built binary:
// `export --json` (a summary of what was written), `export --datasets` (merge's option, one
// reading), an --out file in a folder that does not exist (refused, naming the folder and the
// mkdir that makes it: the same rule for export, report and suggest), and `extract coco <folder>`.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasPython } from '../export/helpers.js';
import { FIXTURES, runCliAsync, tempDir } from '../helpers/cli.js';

/** A team repository (init: the shipped sheets, a lock file), in a fresh temporary folder. */
async function initRepo(): Promise<string> {
  const cwd = tempDir();
  const r = await runCliAsync(['init', 'team'], { cwd });
  expect(r.code, r.stderr).toBe(0);
  return path.join(cwd, 'team');
}

describe('labelmap export --json, --datasets', () => {
  it('--json --out: the file is written, stdout is one JSON summary (what, where, counts, warnings)', async () => {
    const repo = await initRepo();
    // A dataset sheet without a mapping: compiling every dataset warns about it (mapping-missing).
    writeFileSync(path.join(repo, 'shop.names'), 'shelf\ntill\n');
    expect((await runCliAsync(['extract', 'names', 'shop.names', '--name', 'shop'], { cwd: repo })).code).toBe(0);
    const labels = (JSON.parse((await runCliAsync(['export', '--vertical', 'self-driving', '--format', 'json'], { cwd: repo })).stdout) as { labels: unknown[] }).labels.length;

    const all = await runCliAsync(['--json', 'export', '--vertical', 'self-driving', '--format', 'python', '--out', 'labels_all.py'], { cwd: repo });
    expect(all.code, all.stderr).toBe(0);
    const everything = JSON.parse(all.stdout) as { warnings: { code: string; severity: string; file: string; message: string; fix: string }[]; datasets: unknown[] };
    // The warnings of the compile, as findings (the same objects validate --format json lists).
    expect(everything.warnings.map((w) => [w.code, w.severity, w.file])).toEqual([['mapping-missing', 'warning', 'datasets/shop@1.0.0.csv']]);
    expect(everything.warnings[0]!.message).toContain('has no mapping sheet');
    expect(all.stderr).toContain('labelmap: 1 warning in the sheet set');

    const r = await runCliAsync(['--json', 'export', '--vertical', 'self-driving', '--datasets', 'cityscapes,coco', '--format', 'python', '--out', 'labels_sd.py'], { cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    const file = path.join(repo, 'labels_sd.py');
    expect(Object.keys(summary).slice(0, 2)).toEqual(['format', 'format_version']);
    expect(summary).toEqual({
      format: 'labelmap-export',
      format_version: 1,
      export_format: 'python',
      file: 'labels_sd.py',
      path: file,
      bytes: statSync(file).size,
      vertical: 'self-driving',
      from: { sheets: 'sheets' },
      labels,
      label_sets: expect.any(Number),
      datasets: [
        { name: 'cityscapes', version: '1.0.0' },
        { name: 'coco', version: '1.0.0' },
      ],
      // shop is not among the datasets chosen: nothing to warn about.
      warnings: [],
    });
    expect(everything.datasets.length).toBeGreaterThan(2);
    expect(r.stderr).toBe(`wrote labels_sd.py (python, ${labels} labels)\n`);
    // Restricted in the consumer's terms: the module python imports has the LUTs of these two only.
    if (hasPython) {
      const py = spawnSync('python3', ['-I', '-S', '-c', 'import sys; sys.path.insert(0, "."); import labels_sd as m; print(sorted(m.LUT), m.NUM_CLASSES)'], { cwd: repo, encoding: 'utf8' });
      expect(py.stderr).toBe('');
      expect(py.stdout).toBe(`['cityscapes', 'coco'] ${labels}\n`);
    }
  });

  it('--datasets is read as merge reads it: the same export as from merge --datasets, the same findings', async () => {
    const repo = await initRepo();
    expect((await runCliAsync(['merge', '--vertical', 'indoor', '--datasets', 'voc,coco@1.0.0', '--out', 'build/indoor-vc'], { cwd: repo })).code).toBe(0);
    const fromMerge = await runCliAsync(['export', '--bundle', 'build/indoor-vc', '--format', 'json'], { cwd: repo });
    const direct = await runCliAsync(['export', '--vertical', 'indoor', '--datasets', 'voc,coco@1.0.0', '--format', 'json'], { cwd: repo });
    expect(direct.code).toBe(0);
    expect(direct.stdout).toBe(fromMerge.stdout);
    expect((JSON.parse(direct.stdout) as { datasets: { name: string }[] }).datasets.map((d) => d.name)).toEqual(['coco', 'voc']);
    for (const bad of [',', 'coco@x.y']) {
      const m = await runCliAsync(['merge', '--vertical', 'indoor', '--datasets', bad], { cwd: repo });
      const e = await runCliAsync(['export', '--vertical', 'indoor', '--format', 'json', '--datasets', bad], { cwd: repo });
      expect(e.code, bad).toBe(2);
      expect(e.stderr, bad).toBe(m.stderr);
      expect(e.stderr, bad).toContain('error datasets-list-invalid');
    }
    const unknown = await runCliAsync(['export', '--vertical', 'indoor', '--format', 'json', '--datasets', 'nope'], { cwd: repo });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe((await runCliAsync(['merge', '--vertical', 'indoor', '--datasets', 'nope'], { cwd: repo })).stderr);
  });

  it('--json without --out, and --datasets with --bundle, are refused (exit 2, no export on stdout)', async () => {
    const repo = await initRepo();
    const noOut = await runCliAsync(['--json', 'export', '--vertical', 'indoor', '--format', 'python'], { cwd: repo });
    // Under --json, stdout holds the error document, never the export.
    expect(JSON.parse(noOut.stdout)).toMatchObject({ format: 'labelmap-error', error: { code: 'export-json-needs-out' } });
    expect({ ...noOut, stdout: '' }).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'labelmap: error export-json-needs-out: --json prints a summary of the file export wrote, and without --out export writes no file\n' +
        '  fix: pass --out <file> (the export goes there, the summary to stdout), or leave --json out to print the export itself\n',
    });
    expect((await runCliAsync(['merge', '--vertical', 'indoor'], { cwd: repo })).code).toBe(0);
    const both = await runCliAsync(['export', '--bundle', 'build/indoor', '--datasets', 'coco', '--format', 'python'], { cwd: repo });
    expect(both.code).toBe(2);
    expect(both.stdout).toBe('');
    expect(both.stderr).toContain('error export-datasets-bundle');
  });
});

describe('an --out file goes into a folder that exists', () => {
  // The commands whose --out is one file; merge and apply take an output FOLDER, which they create.
  const COMMANDS: [string, string[]][] = [
    ['export', ['export', '--vertical', 'indoor', '--format', 'python']],
    ['report', ['report', '--vertical', 'indoor']],
    ['suggest', ['suggest', 'coco']],
    ['attributes', ['attributes', path.join(FIXTURES, 'attributes', 'generic.csv'), '--dataset', 'generic']],
  ];

  it.each(COMMANDS)('%s --out missing/dir/file: exit 2, the folder named, nothing created; after the mkdir of the fix it writes', async (_name, args) => {
    const repo = await initRepo();
    const before = readdirSync(repo).sort();
    const r = await runCliAsync([...args, '--out', 'missing/dir/out.txt'], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'labelmap: missing/dir/out.txt: error output-parent-missing: the folder "missing/dir" for the --out file does not exist: a file is written into a folder you have, not into a new tree of folders (a typo in the path would make one)\n' +
        '  fix: create it first: `mkdir -p missing/dir`, or pass --out in a folder that exists\n',
    );
    expect(readdirSync(repo).sort()).toEqual(before);
    const absolute = path.join(tempDir(), 'nonexistent', 'dir', 'x.json');
    const abs = await runCliAsync([...args, '--out', absolute], { cwd: repo });
    expect(abs.code).toBe(2);
    expect(abs.stderr).toContain(`fix: create it first: \`mkdir -p ${path.dirname(absolute)}\``);
    expect(existsSync(path.dirname(path.dirname(absolute)))).toBe(false);
    // The fix as written, then the same command.
    expect(spawnSync('mkdir', ['-p', 'missing/dir'], { cwd: repo }).status).toBe(0);
    const again = await runCliAsync([...args, '--out', 'missing/dir/out.txt'], { cwd: repo });
    expect(again.code, again.stderr).toBe(0);
    expect(statSync(path.join(repo, 'missing/dir/out.txt')).size).toBeGreaterThan(0);
  });

  it('a folder name that needs quoting is quoted in the fix, so that it runs as written', async () => {
    const repo = await initRepo();
    const r = await runCliAsync(['export', '--vertical', 'indoor', '--format', 'python', '--out', "my labels/it's/l.py"], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("fix: create it first: `mkdir -p 'my labels/it'\\''s'`");
    expect(spawnSync('sh', ['-c', "mkdir -p 'my labels/it'\\''s'"], { cwd: repo }).status).toBe(0);
    expect((await runCliAsync(['export', '--vertical', 'indoor', '--format', 'python', '--out', "my labels/it's/l.py"], { cwd: repo })).code).toBe(0);
  });
});

describe('labelmap extract coco <folder>', () => {
  it('names the COCO files in the folder (and one level down) as a command that runs', async () => {
    const repo = await initRepo();
    const coco = path.join(FIXTURES, 'coco');
    mkdirSync(path.join(repo, 'warehouse', 'annotations'), { recursive: true });
    cpSync(path.join(coco, readdirSync(coco).find((n) => /instances.*\.json$/.test(n))!), path.join(repo, 'warehouse/annotations/instances_val2017.json'));
    // Not offered: a captions file (COCO keys, no categories), a JSON file that is no COCO file.
    writeFileSync(path.join(repo, 'warehouse/annotations/captions_val2017.json'), '{"images": [], "annotations": []}\n');
    writeFileSync(path.join(repo, 'warehouse/annotations/notes.json'), '{"owner": "me"}\n');
    const r = await runCliAsync(['extract', 'coco', 'warehouse', '--name', 'warehouse'], { cwd: repo });
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'labelmap: warehouse: error coco-input-folder: this is a folder: expected a COCO annotation JSON file; found one in it: warehouse/annotations/instances_val2017.json\n' +
        '  fix: pass the file: `labelmap extract coco warehouse/annotations/instances_val2017.json --name warehouse`\n',
    });
    // The fix repeats the user's flags: without --name the sheet would be `coco`, refused as a takeover.
    const fix = /`labelmap ([^`]+)`/.exec(r.stderr)![1]!.split(' ');
    const ran = await runCliAsync(fix, { cwd: repo });
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/^wrote datasets\/warehouse@1\.0\.0\.csv: \d+ classes/);
    // An empty folder: no command to offer, the file it wants.
    mkdirSync(path.join(repo, 'empty'));
    const none = await runCliAsync(['extract', 'coco', 'empty'], { cwd: repo });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('holds none\n  fix: pass the annotation .json file itself (e.g. annotations/instances_val2017.json)\n');
  });
});
