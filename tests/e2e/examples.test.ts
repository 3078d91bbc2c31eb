// Every example in README.md and in the --help of every command runs (issue 22). The examples are
// EXTRACTED from the text (README code blocks, the "Examples:" section of each --help), not
// copied here, so an example added or changed there is run too. Each runs in a fresh copy of a
// fixture repository: the shipped sheets in git (tags v1 and v2, branch main), with the input
// files the examples name (real dataset metadata from ../shared/real, small fixtures otherwise).
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, REAL, ROOT, runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { helpExamples, readmeExamples } from '../helpers/examples.js';

/**
 * runCli without blocking the worker: 55 runs of a few seconds each would starve vitest's RPC
 * with spawnSync on a loaded machine.
 */
function runCliAsync(args: string[], cwd: string): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.LABELMAP_DEBUG;
  delete env.LABELMAP_SHEETS;
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The command names listed in `labelmap --help`. */
function commandNames(help: string): string[] {
  const section = /^Commands:\n([\s\S]*?)\n\n/m.exec(help)?.[1] ?? '';
  return [...section.matchAll(/^ {2}([a-z-]+)/gm)].map((m) => m[1]!).filter((n) => n !== 'help');
}


/** Shell words of a simple command line, and a `> file` redirection of stdout. */
function parseCommand(line: string): { args: string[]; stdoutTo: string | null } {
  const [command, redirect] = line.split(/\s>\s/);
  const args = command!.trim().split(/\s+/).slice(1); // drop "labelmap"
  return { args, stdoutTo: redirect?.trim() ?? null };
}

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

/**
 * The custom dataset the suggest examples name: a dataset sheet made with `labelmap extract names`
 * and no mapping yet. Only in the copies whose example names it, since `validate --strict` rightly
 * fails on a dataset without a mapping.
 */
async function addMyDataset(cwd: string): Promise<void> {
  const r = await runCliAsync(['extract', 'names', 'my-dataset.txt', '--name', 'my-dataset'], cwd);
  expect(r.code, r.stderr).toBe(0);
}

/** The fixture repository every example runs in (a fresh copy each). */
function buildRepo(): string {
  const repo = mkdtempSync(path.join(tmpdir(), 'labelmap-examples-'));
  cpSync(path.join(ROOT, 'sheets'), path.join(repo, 'sheets'), { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'v1');
  git(repo, 'tag', 'v1');
  cpSync(path.join(repo, 'sheets'), path.join(repo, 'old-sheets'), { recursive: true });
  // v2: a new minor version of the COCO dataset sheet and a patch of the Cityscapes mapping.
  const coco = readFileSync(path.join(repo, 'sheets/datasets/coco@1.0.0.csv'), 'utf8');
  writeFileSync(path.join(repo, 'sheets/datasets/coco@1.1.0.csv'), coco.replace(/^(1,person,)[^,]*,/m, '$1Person,'));
  const city = readFileSync(path.join(repo, 'sheets/mappings/cityscapes@1.0.0.csv'), 'utf8');
  const lines = city.trimEnd().split('\n');
  const plain = lines.findIndex((l, i) => i > 0 && /,[^",]*$/.test(l) && !l.includes('"'));
  lines[plain] = `${lines[plain]} (reviewed)`;
  writeFileSync(path.join(repo, 'sheets/mappings/cityscapes@1.0.1.csv'), `${lines.join('\n')}\n`);
  expect(runCli(['release'], { cwd: repo }).code).toBe(0);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'v2');
  git(repo, 'tag', 'v2');
  cpSync(path.join(repo, 'sheets'), path.join(repo, 'my-sheets'), { recursive: true });
  // The inputs the examples name.
  const put = (rel: string, from: string) => {
    mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
    cpSync(from, path.join(repo, rel), { recursive: true });
  };
  put('annotations/instances_val2017.json', path.join(REAL, 'coco', 'instances_val2017.excerpt.json'));
  put('annotations/instances_train2017.json', path.join(REAL, 'coco', 'instances_val2017.excerpt.json'));
  put('panoptic_coco_categories.json', path.join(REAL, 'coco', 'panoptic_coco_categories.json'));
  put('mapillary-vistas/config_v2.0.json', path.join(REAL, 'mapillary', 'config_v2.0.json'));
  put('VOCdevkit', path.join(FIXTURES, 'voc', 'VOCdevkit'));
  put('gtFine', path.join(FIXTURES, 'cityscapes', 'gtFine'));
  put('fixtures/apply', path.join(FIXTURES, 'apply'));
  put('masks', path.join(FIXTURES, 'apply', 'cityscapes'));
  put('gtFine/val', path.join(FIXTURES, 'apply', 'cityscapes'));
  put('trainIds', path.join(FIXTURES, 'apply', 'cityscapes-trainids'));
  put('VOC2012/SegmentationClass', path.join(FIXTURES, 'apply', 'voc', 'SegmentationClass'));
  put('bdd100k/labels.json', path.join(FIXTURES, 'attributes', 'bdd100k-labels.json'));
  put('image-attributes.csv', path.join(FIXTURES, 'attributes', 'generic.csv'));
  mkdirSync(path.join(repo, 'train'));
  writeFileSync(path.join(repo, 'my-dataset.txt'), 'person\nforklift\npallet\nshelf\n');
  expect(runCli(['merge', '--vertical', 'self-driving', '--out', 'out/self-driving'], { cwd: repo }).code).toBe(0);
  expect(runCli(['merge', '--vertical', 'self-driving'], { cwd: repo }).code).toBe(0);
  expect(runCli(['merge', '--vertical', 'indoor'], { cwd: repo }).code).toBe(0);
  return repo;
}

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** Every example, gathered when the tests are collected (the --help texts come from the built binary). */
async function gatherExamples(): Promise<{ source: string; line: string }[]> {
  const examples: { source: string; line: string }[] = [];
  const top = await runCliAsync(['--help'], ROOT);
  for (const line of helpExamples(top.stdout)) examples.push({ source: 'labelmap --help', line });
  for (const name of commandNames(top.stdout)) {
    for (const line of helpExamples((await runCliAsync([name, '--help'], ROOT)).stdout)) examples.push({ source: `labelmap ${name} --help`, line });
  }
  for (const line of readmeExamples(readme)) examples.push({ source: 'README.md', line });
  return examples;
}

const examples = existsSync(REAL) ? await gatherExamples() : [];

describe.skipIf(!existsSync(REAL))('every documented example runs', () => {
  let repo = '';
  beforeAll(() => {
    repo = buildRepo();
  }, 600_000);

  it('finds the examples in the text (README blocks and every command\'s --help)', () => {
    const sources = new Set(examples.map((e) => e.source));
    expect(sources).toContain('README.md');
    for (const name of ['list', 'show', 'extract', 'merge', 'diff', 'bump', 'release', 'export', 'validate', 'schema', 'init']) {
      expect(sources, name).toContain(`labelmap ${name} --help`);
    }
    expect(examples.map((e) => e.line)).toContain('labelmap show coco');
    expect(examples.map((e) => e.line)).toContain('labelmap diff coco@1.0.0 coco@1.1.0');
    expect(examples.length).toBeGreaterThan(40);
  });

  it('the README suggest path as a sequence: suggest --write, review, validate --strict, merge', async () => {
    const block = /```sh\n(npx labelmap suggest my-dataset --write[\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const lines = readmeExamples(`\`\`\`sh\n${block}\`\`\`\n`);
    expect(lines.map((l) => l.split(' ')[1])).toEqual(['suggest', 'suggest', 'validate', 'merge']);
    const cwd = tempDir({}, { '.': repo });
    await addMyDataset(cwd);
    const run = (line: string) => runCliAsync(parseCommand(line).args, cwd);
    expect((await run(lines[0]!)).code).toBe(0);
    const draft = path.join(cwd, 'sheets', 'mappings', 'my-dataset@1.0.0.csv');
    expect(existsSync(draft)).toBe(true);
    const explained = await run(lines[1]!);
    expect(explained.code, explained.stderr).toBe(0);
    expect(explained.stdout).toContain('person');
    const unreviewed = await run(lines[2]!);
    expect(unreviewed.code).toBe(1); // "fails until every row is reviewed"
    expect(unreviewed.stdout + unreviewed.stderr).toContain('mapping-row-unreviewed');
    // The review: every row's target accepted as drafted (x_ columns dropped).
    const rows = parse(readFileSync(draft, 'utf8'), { columns: true }) as Record<string, string>[];
    writeFileSync(draft, stringify(rows.map((r) => ({ source: r.source, target: r.target, note: r.note })), { header: true, columns: ['source', 'target', 'note'] }));
    // After the review validate --strict passes: no finding is left, about my-dataset or the shipped sheets.
    const reviewed = await run(lines[2]!);
    expect(reviewed.code, reviewed.stdout + reviewed.stderr).toBe(0);
    expect(reviewed.stdout + reviewed.stderr).not.toContain('my-dataset');
    const merged = await run(lines[3]!);
    expect(merged.code, merged.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'build', 'self-driving', 'lut', 'my-dataset.csv'), 'utf8')).toContain('forklift');
  });

  it.each(examples)('$source: $line', async ({ line }) => {
    const { args, stdoutTo } = parseCommand(line);
    // `init` starts a repository: its examples run in an empty folder, as documented.
    const cwd = args[0] === 'init' ? tempDir() : tempDir({}, { '.': repo });
    if (args.includes('my-dataset')) await addMyDataset(cwd);
    const r = await runCliAsync(args, cwd);
    if (stdoutTo) writeFileSync(path.join(cwd, stdoutTo), r.stdout);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
