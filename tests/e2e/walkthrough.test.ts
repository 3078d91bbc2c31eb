// The newcomer's walk-through (issue 22), scripted: a fresh clone of this repository, installed and
// built as the README says, the README quick start run from the clone's own README (merge, apply,
// the export for training code, which python3 imports), then a custom dataset through a team
// repository: init -> extract -> mapping -> validate -> release -> (a second version) -> diff v1 v2.
// Every step asserts stdout, stderr and the exit status.
//
// The clone: the files git tracks plus new files it does not ignore (`git ls-files`), copied as
// they are in the work tree, so that uncommitted edits are walked too; node_modules is this
// checkout's, linked (an offline `npm ci` of the same lock file gives the same tree, in minutes
// on a loaded machine instead of an instant); dist/ is built in the clone by the build script
// npm's prepare runs. `npx labelmap` runs the package's own bin (package.json "bin"), so the
// steps run that file with node, as npx would. Every run is spawned asynchronously (runCliAsync).
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCliAsync, spawnAsync, tempDir, type CliResult } from '../helpers/cli.js';
import { hasPython } from '../export/helpers.js';

let clone = '';

/** `labelmap <args>` with the clone's binary, in `cwd`, as a user's shell runs it (NO_COLOR=1). */
function labelmap(cwd: string, args: string[]): Promise<CliResult> {
  return runCliAsync(args, { cwd, bin: path.join(clone, 'bin', 'labelmap') });
}

function sh(cwd: string, command: string, args: string[]): Promise<CliResult> {
  return spawnAsync(command, args, { cwd, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
}

async function git(cwd: string, ...args: string[]): Promise<void> {
  const r = await sh(cwd, 'git', ['-c', 'commit.gpgsign=false', ...args]);
  expect(r.code, `git ${args.join(' ')}: ${r.stderr}`).toBe(0);
}

/** The words of a README command line: `npx labelmap a 'b c'` -> ['a', 'b c'] (npx labelmap dropped). */
function wordsOf(line: string): string[] {
  const words = [...line.replace(/\s+#.*$/, '').matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  const at = words.indexOf('labelmap');
  return words.slice(at + 1);
}

/** The shell lines of the README's first code block after `## <heading>`. */
function blockAfter(readme: string, heading: string): string[] {
  const section = readme.split(`\n## ${heading}\n`)[1] ?? '';
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block.split('\n').filter((l) => l.trim() !== '');
}

/** A small COCO instances file of the team's own dataset. */
function warehouseCoco(categories: string[]): string {
  return `${JSON.stringify(
    {
      images: [{ id: 1, file_name: 'a.jpg', width: 4, height: 4 }, { id: 2, file_name: 'b.jpg', width: 4, height: 4 }],
      annotations: categories.map((_, i) => ({ id: i + 1, image_id: 1 + (i % 2), category_id: i + 1, bbox: [0, 0, 1, 1], area: 1, iscrowd: 0 })),
      categories: categories.map((name, i) => ({ id: i + 1, name, supercategory: 'warehouse' })),
    },
    null,
    1,
  )}\n`;
}

describe.skipIf(!existsSync(path.join(ROOT, '.git')))('a fresh clone, walked as the README says', () => {
  beforeAll(async () => {
    clone = path.join(tempDir(), 'labelmap');
    const files = await sh(ROOT, 'git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
    expect(files.code, files.stderr).toBe(0);
    for (const rel of files.stdout.split('\0').filter((f) => f !== '' && existsSync(path.join(ROOT, f)))) {
      mkdirSync(path.dirname(path.join(clone, rel)), { recursive: true });
      cpSync(path.join(ROOT, rel), path.join(clone, rel));
    }
    expect(existsSync(path.join(clone, 'dist'))).toBe(false);
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
    // What `npm ci` runs after the install: the prepare script (the build).
    const pkg = JSON.parse(readFileSync(path.join(clone, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
    expect(pkg.bin.labelmap).toBe('bin/labelmap');
    expect(pkg.scripts.prepare).toBe('npm run build');
    const build = await sh(clone, 'npm', ['run', 'build', '--silent']);
    expect(build.code, build.stdout + build.stderr).toBe(0);
  }, 300_000);

  it('the quick start: merge, apply, the export for training code', async () => {
    const readme = readFileSync(path.join(clone, 'README.md'), 'utf8');
    const quick = blockAfter(readme, 'Quick start');
    expect(quick[0]).toMatch(/^npm ci && npx labelmap merge --vertical self-driving\b/);
    expect(quick[1]).toMatch(/^npm test\b/);
    const work = clone;

    const merge = await labelmap(work, wordsOf(quick[0]!));
    expect(merge.code, merge.stderr).toBe(0);
    // The number of output labels is the shipped vertical's: labels.csv has one row per label.
    const labelRows = readFileSync(path.join(work, 'build', 'self-driving', 'labels.csv'), 'utf8').trimEnd().split('\n').slice(1);
    const n = labelRows.length;
    expect(n).toBeGreaterThan(20);
    expect(merge.stdout).toMatch(new RegExp(`^self-driving: ${n} output labels\ndataset +classes +mapped`));
    // In the clone, the sheets are the repository's own sheets/ folder: no shipped-sheets notice;
    // warnings, if the sheets have any, only as a count.
    expect(merge.stderr).not.toContain('shipped');
    expect(merge.stderr).not.toMatch(/^\S+\.csv:\d+:\d+: warning /m);
    expect(merge.stderr).toContain(`wrote build${path.sep}self-driving${path.sep}: labels.csv (${n} labels, 8-bit, ignore 255)`);
    const next = /^next: (labelmap export [^(]+) \(training code\)/m.exec(merge.stderr)?.[1];
    expect(next).toBe('labelmap export --bundle build/self-driving --format python');
    for (const f of ['labels.csv', 'label_sets.csv', 'coverage.csv', 'labelmap.json', 'lut/cityscapes.csv']) expect(existsSync(path.join(work, 'build', 'self-driving', f)), f).toBe(true);

    // The next step merge names runs as written.
    const fromNext = await labelmap(work, wordsOf(next!));
    expect(fromNext.code, fromNext.stderr).toBe(0);
    expect(fromNext.stdout).toContain(`NUM_CLASSES = ${n}`);
    expect(fromNext.stderr).toBe('');

    // Remap the sample masks (the quick start's second block).
    const apply = /```sh\n(npx labelmap apply [^\n]+)/.exec(readme.split('\n## Quick start\n')[1]!)?.[1];
    expect(apply).toBeDefined();
    const applied = await labelmap(work, wordsOf(apply!));
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/^cityscapes@1\.0\.0 -> self-driving: \d+ files, wrote \d+\n$/);
    expect(existsSync(path.join(work, 'build', 'sd-masks', 'apply.json'))).toBe(true);

    // The export for training code, as the README's export section writes it, then imported.
    const exportLine = readme.split('\n').find((l) => /^npx labelmap export --vertical self-driving --format python --out /.test(l));
    expect(exportLine).toBeDefined();
    const args = wordsOf(exportLine!);
    const exported = await labelmap(work, args);
    expect(exported.code, exported.stderr).toBe(0);
    const out = args[args.indexOf('--out') + 1]!;
    expect(exported.stdout).toBe('');
    expect(exported.stderr).toMatch(new RegExp(`wrote ${out.replace(/[.]/g, '\\.')} \\(python, ${n} labels\\)\\n$`));
    if (hasPython) {
      const module = path.basename(out, '.py');
      const py = await sh(path.join(work, path.dirname(out)), 'python3', ['-I', '-S', '-c', `import sys; sys.path.insert(0, "."); import ${module} as m; print(m.NUM_CLASSES, m.IGNORE, m.LUT["cityscapes"][26])`]);
      expect(py.stderr).toBe('');
      // Cityscapes id 26 is car: its self-driving train id.
      const car = labelRows.find((l) => /^\d+,car,/.test(l))!.split(',')[0];
      expect(py.stdout).toBe(`${n} 255 ${car}\n`);
    }
  });

  it('a custom dataset: init -> extract -> mapping -> validate -> release -> diff v1 v2', async () => {
    const home = tempDir();
    const init = await labelmap(home, ['init', 'my-labels']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/\ncreated sheets\/labelmap\.lock\.json\n[\s\S]*\ncreated package\.json\n$/);
    expect(init.stderr).toContain('next: cd my-labels, run `npm install`');
    const repo = path.join(home, 'my-labels');
    // The lock init copies covers every sheet it copies: a first release adds only the team's own.
    const fresh = await labelmap(repo, ['release', '--dry-run']);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stdout).toMatch(/^would lock \d+ sheet files in sheets\/labelmap\.lock\.json \(nothing new\)\n$/);
    await git(repo, 'init', '-q', '-b', 'main');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'start from the shipped sheets');

    // extract: the folder first (as a newcomer does), then the file its fix names, then --name.
    mkdirSync(path.join(repo, 'warehouse'));
    writeFileSync(path.join(repo, 'warehouse', 'instances.json'), warehouseCoco(['person', 'forklift', 'pallet']));
    const folder = await labelmap(repo, ['extract', 'coco', 'warehouse', '--stats']);
    expect(folder).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'labelmap: warehouse: error coco-input-folder: this is a folder: expected a COCO annotation JSON file; found one in it: warehouse/instances.json\n' +
        '  fix: pass the file: `labelmap extract coco warehouse/instances.json --stats`\n',
    });
    const takeover = await labelmap(repo, wordsOf(/`(labelmap [^`]+)`/.exec(folder.stderr)![1]!));
    // Without --name it would be a new version of the shipped COCO sheet: refused, never a silent takeover.
    expect(takeover.code).toBe(2);
    expect(takeover.stdout).toBe('');
    expect(takeover.stderr).toContain('error extract-supersedes: refusing to write coco@2.0.0 over coco@1.0.0');
    const extract = await labelmap(repo, ['extract', 'coco', 'warehouse/instances.json', '--stats', '--name', 'warehouse']);
    expect(extract).toEqual({
      code: 0,
      stdout: 'wrote datasets/warehouse@1.0.0.csv: 3 classes\n',
      stderr: 'labelmap: a COCO instances file: 3 categories (3 things, 0 stuff)\nlabelmap: 3 annotations over 2 images (2 listed)\n',
    });

    // mapping: a draft from suggest, reviewed (validate says so until it is), then written by hand.
    const draft = await labelmap(repo, ['suggest', 'warehouse', '--write']);
    expect(draft.code, draft.stderr).toBe(0);
    expect(draft.stdout).toBe('wrote mappings/warehouse@1.0.0.csv: draft mapping of 3 classes\n');
    const unreviewed = await labelmap(repo, ['validate', '--strict']);
    expect(unreviewed.code).toBe(1);
    expect(unreviewed.stdout).toContain('sheets/mappings/warehouse@1.0.0.csv:2:7: warning mapping-row-unreviewed: mapping row "person" is still marked x_review=review');
    const mapping = path.join(repo, 'sheets', 'mappings', 'warehouse@1.0.0.csv');
    writeFileSync(mapping, 'source,target,note\nperson,person,\nforklift,other_vehicle,A warehouse vehicle of no other class.\npallet,ignore,Not an object class of any vertical.\n');
    const validate = await labelmap(repo, ['validate']);
    expect(validate.code, validate.stdout).toBe(0);
    expect(validate.stdout).not.toContain('warehouse');
    expect(validate.stderr).toMatch(/^labelmap validate: (no findings|0 errors, \d+ warnings?) in \d+ sheet files \(sheets\)\n$/);

    // The dataset lands in a vertical's lookup table.
    const merge = await labelmap(repo, ['merge', '--vertical', 'smart-city', '--datasets', 'warehouse']);
    expect(merge.code, merge.stderr).toBe(0);
    expect(merge.stdout).toMatch(/^smart-city: \d+ output labels\n/);
    // forklift mapped, pallet ignored, person coarser than smart-city's pedestrian/rider: a label set.
    expect(merge.stdout).toMatch(/\nwarehouse@1\.0\.0 +3 +1 +1 +0 +1 +1 /);
    const lut = readFileSync(path.join(repo, 'build', 'smart-city', 'lut', 'warehouse.csv'), 'utf8');
    expect(lut).toMatch(/^2,forklift,.*other_vehicle/m);

    // release v1.
    const v1 = await labelmap(repo, ['release']);
    expect(v1.code, v1.stderr).toBe(0);
    expect(v1.stdout).toMatch(/^locked \d+ sheet files in sheets\/labelmap\.lock\.json \(2 new: datasets\/warehouse@1\.0\.0\.csv, mappings\/warehouse@1\.0\.0\.csv\)\n$/);
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'warehouse v1');
    await git(repo, 'tag', 'v1');

    // v2: the dataset gains a class; the mapping a row for it.
    writeFileSync(path.join(repo, 'warehouse', 'instances.json'), warehouseCoco(['person', 'forklift', 'pallet', 'shelf']));
    const extract2 = await labelmap(repo, ['extract', 'coco', 'warehouse/instances.json', '--stats', '--name', 'warehouse']);
    expect(extract2.code, extract2.stderr).toBe(0);
    expect(extract2.stdout).toMatch(/^wrote datasets\/warehouse@1\.1\.0\.csv: 4 classes \(minor bump from 1\.0\.0: \d+ changes?\)\n[\s\S]*minor +.*shelf/);
    const missingRow = await labelmap(repo, ['validate']);
    expect(missingRow.code).toBe(1);
    expect(missingRow.stdout).toContain('shelf');
    const bump = await labelmap(repo, ['bump', 'mappings/warehouse', 'minor']);
    expect(bump).toMatchObject({ code: 0, stdout: 'sheets/mappings/warehouse@1.1.0.csv\n' });
    writeFileSync(path.join(repo, 'sheets', 'mappings', 'warehouse@1.1.0.csv'), `${readFileSync(mapping, 'utf8')}shelf,shelf,\n`);
    const valid2 = await labelmap(repo, ['validate']);
    expect(valid2.code, valid2.stdout).toBe(0);
    const v2 = await labelmap(repo, ['release']);
    expect(v2.code, v2.stderr).toBe(0);
    expect(v2.stdout).toMatch(/\(2 new: datasets\/warehouse@1\.1\.0\.csv, mappings\/warehouse@1\.1\.0\.csv\)\n$/);
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'warehouse v2');
    await git(repo, 'tag', 'v2');

    // diff v1 v2: what changed between the two releases, each change with its level.
    const diff = await labelmap(repo, ['diff', 'v1', 'v2']);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain('datasets/warehouse');
    expect(diff.stdout).toContain('mappings/warehouse');
    expect(diff.stdout).toMatch(/minor.*shelf/);
    expect(diff.stdout).not.toMatch(/\bmajor\b.*warehouse/);
    expect((await labelmap(repo, ['diff', 'v1', 'v2', '--fail-on', 'major'])).code).toBe(0);
    expect((await labelmap(repo, ['diff', 'v1', 'v2', '--fail-on', 'minor'])).code).toBe(1);
    const json = JSON.parse((await labelmap(repo, ['--json', 'diff', 'v1', 'v2'])).stdout) as { format: string };
    expect(json.format).toBe('labelmap-diff');
  });
});
