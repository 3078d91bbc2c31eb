// runCli runs the built binary (the end-to-end tests of this command); runInProcess runs the
// same program in-process (tests/helpers/cli.ts): same stdout, stderr and exit code.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, runCli, tempDir, runInProcess } from '../helpers/cli.js';

const DRIVING = path.join(FIXTURES, 'sets', 'driving');
const BROKEN = path.join(FIXTURES, 'sets', 'broken');

/** Newest modification time of the files below a folder. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

// Build dist/ unless it is newer than every source file (`npm test` builds first; rebuilding
// then would rewrite files that other test files' CLI runs may be reading).
beforeAll(() => {
  const main = path.join(ROOT, 'dist', 'cli', 'main.js');
  if (existsSync(main) && statSync(main).mtimeMs >= newest(path.join(ROOT, 'src'))) return;
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT });
});

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out[r] = readFileSync(path.join(dir, r), 'utf8');
    }
  };
  walk('');
  return out;
}

function csvRows(text: string): string[][] {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => l.split(','));
}

describe('labelmap merge --vertical (driving fixture)', () => {
  it('writes labels, LUTs, coverage and the bundle to build/<vertical>/ and prints a summary', () => {
    const cwd = tempDir();
    const r = runCli(['--sheets', DRIVING, 'merge', '--vertical', 'self-driving'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'self-driving: 13 output labels',
      'dataset                classes  mapped  ignored  not in vertical  coarser  as set  labels full/partial/none',
      'cityscapes-mini@1.0.0  16       11      2        2                1        1       11/2/0',
      'coco-mini@1.1.0        9        7       0        1                1        1       7/3/3',
      '',
    ]);
    // The warnings as a count (the first output a newcomer sees is not a wall of warnings), then
    // what was written and one line of what to do next.
    expect(r.stderr).toBe(
      'labelmap: 1 warning in the sheet set (merge --all-warnings prints them; `labelmap validate` lists every finding)\n' +
        `wrote build${path.sep}self-driving${path.sep}: labels.csv (13 labels, 8-bit, ignore 255), label_sets.csv (2), lut/ (2 datasets), coverage.csv, labelmap.json\n` +
        `next: labelmap export --bundle build${path.sep}self-driving --format python (training code), labelmap apply --bundle build${path.sep}self-driving --dataset <name> <masks> --out <dir> (remap annotation files), labelmap report (a page to explore)\n`,
    );
    const all = runCli(['--sheets', DRIVING, 'merge', '--vertical', 'self-driving', '--all-warnings'], { cwd });
    expect(all.stderr).toContain('datasets/kitti-mini@1.0.0.csv: warning mapping-missing: dataset sheet datasets/kitti-mini@1.0.0.csv has no mapping sheet (expected mappings/kitti-mini@1.0.0.csv): skipped');

    const files = readTree(path.join(cwd, 'build', 'self-driving'));
    expect(Object.keys(files).sort()).toEqual(['.labelmap-output', 'coverage.csv', 'label_sets.csv', 'labelmap.json', 'labels.csv', 'lut/cityscapes-mini.csv', 'lut/coco-mini.csv']);
    // The write guard's marker lists exactly the files merge wrote (what a later merge may replace or remove).
    expect(JSON.parse(files['.labelmap-output']!)).toMatchObject({ format: 'labelmap-output', written_by: 'merge', files: Object.keys(files).filter((f) => f !== '.labelmap-output').sort() });
    expect(files['label_sets.csv']).toBe(
      'id,name,kind,members\n13,pedestrian|bicyclist|motorcyclist,coarse,pedestrian bicyclist motorcyclist\n14,bicyclist|motorcyclist,coarse,bicyclist motorcyclist\n',
    );
    expect(files['lut/cityscapes-mini.csv']).toContain('\n25,rider,rider,set,14,,bicyclist|motorcyclist,coarser than vertical\n');
    expect(csvRows(files['labels.csv']!).slice(0, 5)).toEqual([
      ['train_id', 'name', 'color', 'is_thing', 'covers'],
      ['0', 'road', '#804080', 'false', 'road'],
      ['1', 'sidewalk', '#f423e8', 'false', 'sidewalk'],
      ['2', 'pedestrian', '#dc143c', 'true', 'pedestrian'],
      ['3', 'bicyclist', '#ff4000', 'true', 'bicyclist'],
    ]);
    expect(csvRows(files['labels.csv']!).at(-1)).toEqual(['12', 'sky', '#87ceeb', 'false', 'sky']);
    const coverage = csvRows(files['coverage.csv']!);
    expect(coverage[0]).toEqual(['dataset', 'train_id', 'label', 'status', 'because', 'count_unit', 'count_exact', 'count_partial']);
    // The fixture sheets have no --stats counts: the count cells stay empty.
    expect(coverage).toContainEqual(['cityscapes-mini', '3', 'bicyclist', 'partial', 'rider', '', '', '']);
    expect(coverage).toContainEqual(['cityscapes-mini', '2', 'pedestrian', 'full', '', '', '', '']);
    expect(coverage).toContainEqual(['coco-mini', '2', 'pedestrian', 'partial', 'person', '', '', '']);
    expect(coverage).toContainEqual(['coco-mini', '0', 'road', 'none', '', '', '', '']);
    expect(coverage).toHaveLength(1 + 2 * 13);

    const bundle = JSON.parse(files['labelmap.json']!);
    expect([bundle.format, bundle.vertical, bundle.id_bits, bundle.ignore_id]).toEqual(['labelmap-bundle', 'self-driving', 8, 255]);
  });

  it('lists every native id of each dataset exactly once in its LUT', async () => {
    const cwd = tempDir();
    expect((await runInProcess(['--sheets', DRIVING, 'merge', '--vertical', 'fleet'], { cwd })).code).toBe(0);
    for (const [name, version] of [['cityscapes-mini', '1.0.0'], ['coco-mini', '1.1.0']]) {
      const sheetIds = csvRows(readFileSync(path.join(DRIVING, 'datasets', `${name}@${version}.csv`), 'utf8')).slice(1).map((r) => r[0]);
      const lut = csvRows(readFileSync(path.join(cwd, 'build', 'fleet', 'lut', `${name}.csv`), 'utf8'));
      expect(lut[0]).toEqual(['id', 'name', 'target', 'kind', 'train_id', 'label', 'set', 'reason']);
      const lutIds = lut.slice(1).map((r) => r[0]);
      expect(new Set(lutIds).size).toBe(lutIds.length);
      expect([...lutIds].sort()).toEqual([...sheetIds].sort());
    }
    const lut = readFileSync(path.join(cwd, 'build', 'fleet', 'lut', 'cityscapes-mini.csv'), 'utf8');
    expect(lut).toContain('\n27,truck,truck,label,1,vehicle,,mapped\n');
    // fleet keeps bicyclist only: a rider may be a motorcyclist, outside the vertical -> no set.
    expect(lut).toContain('\n25,rider,rider,ignore,255,,,coarser than vertical\n');
    expect(lut).toContain('\n24,person,pedestrian,ignore,255,,,not in vertical\n');
  });

  it('is deterministic: a second run (same folder or another) gives the same bytes', async () => {
    const cwd = tempDir();
    const args = ['--sheets', DRIVING, 'merge', '--vertical', 'self-driving'];
    expect((await runInProcess([...args, '--out', 'a'], { cwd })).code).toBe(0);
    const first = readTree(path.join(cwd, 'a'));
    expect((await runInProcess([...args, '--out', 'a'], { cwd })).code).toBe(0);
    expect((await runInProcess([...args, '--out', 'b'], { cwd })).code).toBe(0);
    expect(readTree(path.join(cwd, 'a'))).toEqual(first);
    expect(readTree(path.join(cwd, 'b'))).toEqual(first);
  });

  it('--json prints labelmap.json on stdout and the summary on stderr', async () => {
    const cwd = tempDir();
    const r = await runInProcess(['--sheets', DRIVING, 'merge', '--vertical', 'fleet', '--json'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(path.join(cwd, 'build', 'fleet', 'labelmap.json'), 'utf8'));
    const bundle = JSON.parse(r.stdout);
    expect(bundle.labels.map((l: { name: string; train_id: number; covers: string[] }) => [l.train_id, l.name, l.covers])).toEqual([
      [0, 'road', ['road']],
      [1, 'vehicle', ['car', 'truck', 'bus']],
      [2, 'cyclist', ['bicyclist']],
    ]);
    expect(r.stderr).toContain('fleet: 3 output labels');
  });

  it('pins versions with name@version and --datasets', async () => {
    const cwd = tempDir();
    const r = await runInProcess(['--sheets', DRIVING, 'merge', '--vertical', 'self-driving@1.0.0', '--datasets', 'coco-mini@1.0.0', '--out', 'out', '--json'], { cwd });
    expect(r.code).toBe(0);
    const bundle = JSON.parse(r.stdout);
    expect(bundle.inputs.map((i: { file: string }) => i.file)).toEqual([
      'datasets/coco-mini@1.0.0.csv',
      'taxonomy/core@1.1.0.csv',
      'mappings/coco-mini@1.0.0.csv',
      'verticals/self-driving@1.0.0.csv',
    ]);
    expect(bundle.labels).toHaveLength(12);
    expect(r.stderr).toContain('labelmap: 1 warning in the sheet set');
    expect(r.stderr).not.toContain('kitti-mini');
    const all = runCli(['--sheets', DRIVING, 'merge', '--vertical', 'self-driving@1.0.0', '--datasets', 'coco-mini@1.0.0', '--out', 'out', '--all-warnings'], { cwd });
    expect(all.stderr).toContain('mappings/coco-mini@1.0.0.csv:9:1: warning mapping-source-unknown: source "stop sign" is not a class of coco-mini@1.0.0');
  });

  it('--coarse ignore sends coarse classes to 255 and writes no label set; a bad mode is a usage error', () => {
    const cwd = tempDir();
    const r = runCli(['--sheets', DRIVING, 'merge', '--vertical', 'self-driving', '--coarse', 'ignore'], { cwd });
    expect(r.code).toBe(0);
    const out = path.join(cwd, 'build', 'self-driving');
    expect(readFileSync(path.join(out, 'label_sets.csv'), 'utf8')).toBe('id,name,kind,members\n');
    expect(readFileSync(path.join(out, 'lut', 'cityscapes-mini.csv'), 'utf8')).toContain('\n25,rider,rider,ignore,255,,,coarser than vertical\n');
    expect(JSON.parse(readFileSync(path.join(out, 'labelmap.json'), 'utf8')).coarse).toBe('ignore');
    const bad = runCli(['--sheets', DRIVING, 'merge', '--vertical', 'self-driving', '--coarse', 'maybe'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('maybe');
  });

  it('removes a LUT an earlier merge into the same folder wrote for a dataset no longer merged', async () => {
    const cwd = tempDir();
    expect((await runInProcess(['--sheets', DRIVING, 'merge', '--vertical', 'fleet'], { cwd })).code).toBe(0);
    expect((await runInProcess(['--sheets', DRIVING, 'merge', '--vertical', 'fleet', '--datasets', 'cityscapes-mini'], { cwd })).code).toBe(0);
    expect(readdirSync(path.join(cwd, 'build', 'fleet', 'lut'))).toEqual(['cityscapes-mini.csv']);
  });

  it('merges the unified taxonomy into build/unified/ without --vertical', async () => {
    const cwd = tempDir();
    const r = await runInProcess(['--sheets', DRIVING, 'merge', '--datasets', 'cityscapes-mini'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('unified taxonomy: 21 output labels');
    const lut = readFileSync(path.join(cwd, 'build', 'unified', 'lut', 'cityscapes-mini.csv'), 'utf8');
    // train id = taxonomy id; the coarse rider maps to the rider class itself.
    expect(lut).toContain('\n25,rider,rider,label,12,rider,,mapped\n');
    expect(lut).toContain('\n24,person,pedestrian,label,11,pedestrian,,mapped\n');
  });
});

describe('labelmap merge: input errors (exit 2, nothing written)', () => {
  it('stops on the first whole-set error with its file, line and column', () => {
    const cwd = tempDir();
    const r = runCli(['--sheets', BROKEN, 'merge', '--vertical', 'bad-ids'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('labelmap: 14 errors in the sheet set; the first follows (`labelmap validate` lists them all)');
    expect(r.stderr).toContain(
      'labelmap: taxonomy/core@1.2.0.csv:6:3: error taxonomy-parent-unknown: class "tram" has the parent "rail_vehicle", which is not a class of this taxonomy\n  fix: add the class "rail_vehicle", or correct the parent, or leave the cell empty for a top-level class\n',
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(cwd, 'build'))).toBe(false);
  });

  it('reports a broken vertical in an otherwise clean set', async () => {
    const cwd = tempDir({}, { sheets: DRIVING });
    writeFileSync(path.join(cwd, 'sheets', 'verticals', 'night@1.0.0.csv'), 'class,include,train_id,color\nroad,road,0,\ncar,car,255,\n');
    const r = await runInProcess(['merge', '--vertical', 'night'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('labelmap: verticals/night@1.0.0.csv:3:3: error vertical-train-id-reserved: class "car" has the train id 255, which is reserved for ignore\n  fix: use a train id from 0 to 254\n');
    expect(existsSync(path.join(cwd, 'build'))).toBe(false);
  });

  it('refuses a dataset named in --datasets that has no mapping', async () => {
    const r = await runInProcess(['--sheets', DRIVING, 'merge', '--datasets', 'coco-mini,kitti-mini'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'labelmap: datasets/kitti-mini@1.0.0.csv: error mapping-missing: dataset sheet datasets/kitti-mini@1.0.0.csv has no mapping sheet (expected mappings/kitti-mini@1.0.0.csv)\n  fix: write the mapping mappings/kitti-mini@1.0.0.csv (columns source,target,note; one row per class of the dataset), or leave kitti-mini out of --datasets\n',
    );
  });

  it('names the known versions of a vertical that does not exist', async () => {
    const r = await runInProcess(['--sheets', DRIVING, 'merge', '--vertical', 'self-driving@9.0.0'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error sheet-version-not-found: no such version: verticals/self-driving has no version 9.0.0 (versions: 1.0.0, 1.1.0)');
  });

  it('stops with a mapping target the pinned taxonomy does not have', async () => {
    const r = await runInProcess(['--sheets', DRIVING, 'merge', '--taxonomy', 'core@1.0.0', '--datasets', 'coco-mini'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('labelmap: mappings/coco-mini@1.0.0.csv:10:2: error mapping-target-unknown: source "dog" maps to "dog", which is not a class of core@1.0.0');
  });

  it('refuses an output path that is a file', async () => {
    const cwd = tempDir({ 'out.txt': 'x' });
    const r = await runInProcess(['--sheets', DRIVING, 'merge', '--vertical', 'fleet', '--out', 'out.txt'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error output-not-folder: the output path is not a folder: expected a folder (or a path that does not exist yet), found a file');
    expect(readFileSync(path.join(cwd, 'out.txt'), 'utf8')).toBe('x');
  });
});

describe('labelmap merge: the unified taxonomy beyond 255 classes', () => {
  it('writes 16-bit train ids with ignore 65535', async () => {
    const classes = Array.from({ length: 300 }, (_, i) => `${i},class_${i},${i >= 100 && i < 110 ? 'class_99' : ''},,,,`);
    const cwd = tempDir({
      'sheets/taxonomy/big@1.0.0.csv': `id,name,parent,display_name,color,is_thing,description\n${classes.join('\n')}\n`,
      'sheets/datasets/wide@1.0.0.csv': 'id,name,display_name,category,train_id,color,is_thing,evaluate\n0,void,,,,,,\n1,first,,,,,,\n7,last,,,,,,\n9,group,,,,,,\n',
      'sheets/mappings/wide@1.0.0.csv': 'source,target,note\nvoid,ignore,\nfirst,class_0,\nlast,class_299,\ngroup,class_99,\n',
    });
    const r = await runInProcess(['merge', '--json'], { cwd });
    expect(r.code).toBe(0);
    const bundle = JSON.parse(r.stdout);
    expect([bundle.vertical, bundle.id_bits, bundle.ignore_id, bundle.labels.length]).toEqual([null, 16, 65535, 300]);
    const lut = readFileSync(path.join(cwd, 'build', 'unified', 'lut', 'wide.csv'), 'utf8');
    expect(lut).toBe(
      'id,name,target,kind,train_id,label,set,reason\n0,void,ignore,ignore,65535,,,ignored by mapping\n1,first,class_0,label,0,class_0,,mapped\n7,last,class_299,label,299,class_299,,mapped\n9,group,class_99,label,99,class_99,,mapped\n',
    );
    const coverage = csvRows(readFileSync(path.join(cwd, 'build', 'unified', 'coverage.csv'), 'utf8'));
    expect(coverage.filter((row) => row[3] === 'partial').map((row) => row[2])).toEqual(Array.from({ length: 10 }, (_, i) => `class_${100 + i}`));
    expect(coverage.filter((row) => row[3] === 'full').map((row) => row[2])).toEqual(['class_0', 'class_99', 'class_299']);
  });
});
