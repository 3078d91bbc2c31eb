// Every fix text that names a command runs as written (issue 22, item 7). The codes come from
// src/findings.ts MESSAGES itself: a fix whose wording names a command (`labelmap <command>`,
// `git ...`, `npx ...`, `mv ...`) must have a scenario below that produces the finding; the test
// takes the fix line from the output, runs every command in it (backticked, as the fix texts write
// commands), and checks its exit status, then runs the user's command again where the fix is
// meant to make it pass. A placeholder (`<major|minor|patch>`) is the user's choice: the scenario
// fills it, and no other text is changed. A step the fix says in words ("delete it and run ...",
// "in an empty folder") is done by the scenario's `before`, named there.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { MESSAGES, type Code } from '../../src/findings.js';
import { openSheets } from '../../src/index.js';
import { LabelmapError, fixOf } from '../../src/findings.js';
import { writeFileAtomic } from '../../src/io/index.js';
import { FIXTURES, ROOT, runInProcess, tempDir, type CliResult } from '../helpers/cli.js';

const SUBCOMMANDS = COMMANDS.map((c) => c.usage.split(' ')[0]!);
/** A command in a text: `labelmap <a command of the CLI>`, `npx ...`, `git -C|<git command>`, `mv`, `rm`, `mkdir -p`. */
const COMMAND_START = new RegExp(`^(?:npx labelmap |labelmap (?:${SUBCOMMANDS.join('|')})\\b|labelmap$|git (?:-C|mv|checkout|add|tag)\\b|mv |rm |mkdir -p )`);
const NAMES_COMMAND = new RegExp(`\\blabelmap (?:${SUBCOMMANDS.join('|')})\\b|\`labelmap\`|\`npx |\`git |\`mv |\`mkdir |\\bgit mv\\b`);

/** Codes whose fix wording (the source of its function) names a command. */
function codesWhoseFixNamesACommand(): Code[] {
  return (Object.keys(MESSAGES) as Code[]).filter((code) => {
    const fix = (MESSAGES[code] as { fix?: (a: object) => string }).fix;
    return fix !== undefined && NAMES_COMMAND.test(fix.toString());
  });
}

/** The backticked commands of a rendered fix text, in order. */
export function commandsOf(fix: string): string[] {
  return [...fix.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((c) => COMMAND_START.test(c));
}

interface State {
  /** The folder the user works in (the scenario's copy of the base repository, or an empty folder). */
  dir: string;
}

interface Scenario {
  code: Code;
  /** What the user did, in words. */
  what: string;
  /** Start from an empty folder instead of the team repository (init + git, tagged). */
  empty?: boolean;
  setup?: (dir: string) => void | Promise<void>;
  /** The user's command (labelmap arguments), run in `cwd` (relative to the folder). */
  run: string[] | ((dir: string) => Promise<string>);
  cwd?: string;
  /** Placeholders of the fix text and what this scenario fills in. */
  fill?: Record<string, string>;
  /** The fix lists alternatives: each command runs in its own copy of the state. */
  alternatives?: boolean;
  /** Commands of the fix that do not apply to this situation, and why; another scenario of the code runs them. */
  notHere?: Record<string, string>;
  /** A step the fix says in words, done before the command that follows it; returns the folder to run in. */
  before?: Record<string, { step: string; do: (state: State) => string | void }>;
  /** Exit status per command when not 0 (`labelmap diff` exits 1 when it shows a bump too small). */
  exits?: Record<string, number>;
  /** After the fix, the user's command no longer gives the finding. */
  fixes?: boolean;
}

function git(cwd: string, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const edit = (file: string, change: (text: string) => string) => writeFileSync(file, change(readFileSync(file, 'utf8')));
const M = (dir: string, rel: string) => path.join(dir, 'sheets', rel);

/** Runs one command of a fix text as a user would type it in `cwd`. */
async function runCommand(command: string, cwd: string): Promise<CliResult> {
  const words = command.split(/\s+/);
  if (words[0] === 'npx') words.shift();
  if (words[0] === 'labelmap') return runInProcess(words.slice(1), { cwd });
  if (words[0] === 'git') {
    // git resolves -C against the working folder, as the user's shell does.
    const r = git(cwd, ...words.slice(1));
    return r;
  }
  const r = spawnSync(words[0]!, words.slice(1), { cwd, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The fix line of `code` in the text output of a run. */
function fixLineOf(stderr: string, code: Code): string | null {
  const lines = stderr.split('\n');
  const at = lines.findIndex((l) => new RegExp(`\\b(error|warning) ${code}:`).test(l));
  if (at < 0) return null;
  const fix = lines.slice(at + 1).find((l) => l.startsWith('  fix: '));
  return fix ? fix.slice('  fix: '.length) : null;
}

const SCENARIOS: Scenario[] = [
  { code: 'bump-level-auto', what: 'asks bump for the level it cannot know', run: ['bump', 'mappings/coco', 'auto'],
    before: { 'labelmap release --dry-run': { step: 'the change you made', do: ({ dir }) => edit(M(dir, 'mappings/coco@1.1.0.csv'), (t) => t.replace(/^(person,[^,]*,).*$/m, '$1reviewed')) } } },
  { code: 'bump-level-invalid', what: 'a level that is none', run: ['bump', 'mappings/coco', 'huge'] },
  { code: 'bump-not-latest', what: 'bumps an older version', run: ['bump', 'mappings/coco@1.0.0', 'minor'],
    setup: async (dir) => {
      expect((await runInProcess(['bump', 'mappings/coco', 'minor'], { cwd: dir })).code).toBe(0);
      edit(M(dir, 'mappings/coco@1.1.0.csv'), (t) => t.replace(/^(person,[^,]*,).*$/m, '$1reviewed'));
    } },
  { code: 'export-format-missing', what: 'export without --format', run: ['export', '--vertical', 'indoor'] },
  { code: 'export-source', what: 'export without a label set', run: ['export', '--format', 'python'] },
  { code: 'output-parent-missing', what: 'export --out into a folder that is not there yet', run: ['export', '--vertical', 'indoor', '--format', 'python', '--out', 'train/labels.py'], fixes: true },
  { code: 'output-parent-missing', what: 'report --out two folders down, from sheets/mappings', run: ['report', '--vertical', 'indoor', '--out', '../../site/pages/report.html'], cwd: 'sheets/mappings', fixes: true },
  { code: 'coco-input-folder', what: 'extract coco of the folder the COCO download unpacked to', run: ['extract', 'coco', 'coco2017', '--name', 'coco-val'],
    setup: (dir) => {
      mkdirSync(path.join(dir, 'coco2017', 'annotations'), { recursive: true });
      cpSync(path.join(FIXTURES, 'coco', 'instances-categories-first.json'), path.join(dir, 'coco2017', 'annotations', 'instances_val2017.json'));
    } },
  { code: 'diff-nothing-to-compare', what: 'diff of a sheet with one version', run: ['diff', 'mappings/coco-stuff'], fill: { '<b>': 'sheets/mappings/coco-stuff@1.0.0.csv' } },
  { code: 'diff-nothing-to-compare', what: 'diff of a file whose sheet the sheets folder lacks', run: ['diff', 'elsewhere/datasets/shop@1.0.0.csv'],
    setup: (dir) => {
      mkdirSync(path.join(dir, 'elsewhere', 'datasets'), { recursive: true });
      writeFileSync(path.join(dir, 'elsewhere/datasets/shop@1.0.0.csv'), 'id,name,display_name,category,train_id,color,is_thing,evaluate\n0,shelf,shelf,,,,,\n');
      writeFileSync(path.join(dir, 'elsewhere/datasets/shop@1.1.0.csv'), 'id,name,display_name,category,train_id,color,is_thing,evaluate\n0,shelf,shelf,,,,,\n1,till,till,,,,,\n');
    },
    fill: { '<a>': 'elsewhere/datasets/shop@1.0.0.csv', '<b>': 'elsewhere/datasets/shop@1.1.0.csv' } },
  { code: 'sheets-folder-invalid', what: 'validate of a folder that holds no sheets, in the team repository', run: ['validate', 'docs'],
    setup: (dir) => void mkdirSync(path.join(dir, 'docs', 'notes'), { recursive: true }), alternatives: true,
    notHere: { 'labelmap init': 'the repository has its sheets folder (the next scenario starts one)' } },
  { code: 'sheets-folder-invalid', what: 'validate of a folder that holds no sheets, with no sheets anywhere', empty: true, run: ['validate', 'notes'],
    setup: (dir) => void mkdirSync(path.join(dir, 'notes', 'x'), { recursive: true }), alternatives: true,
    notHere: { 'labelmap validate sheets': 'there is no sheets folder to name (the scenario above runs it)' } },
  { code: 'sheets-folder-not-found', what: 'validate of a file (README.md)', run: ['validate', 'README.md'], alternatives: true,
    setup: (dir) => writeFileSync(path.join(dir, 'README.md'), '# my labels\n'),
    notHere: { 'labelmap init': 'the repository has its sheets folder (the next scenarios start one)' } },
  { code: 'sheets-folder-not-found', what: 'validate of a folder that is not there', empty: true, run: ['validate', 'nope'], fixes: false },
  { code: 'sheets-folder-not-found', what: '--sheets names a folder that is not there', empty: true, run: ['--sheets', 'nope', 'list'] },
  { code: 'init-not-folder', what: 'init over a file', empty: true, setup: (dir) => writeFileSync(path.join(dir, 'notes.txt'), 'x\n'), run: ['init', 'notes.txt'] },
  { code: 'init-exists', what: 'init in the repository again', run: ['init'], alternatives: true,
    before: { 'labelmap init': { step: 'in an empty folder', do: () => tempDir() } } },
  { code: 'sheet-ref-not-found', what: 'show of a sheet that is not there', run: ['show', 'nope'] },
  { code: 'sheet-exists', what: 'bump loses a race for the next version: another run wrote coco@1.1.0 between the scan and the write (bump\'s own write call)',
    run: async (dir) => {
      const file = M(dir, 'mappings/coco@1.1.0.csv');
      writeFileAtomic(file, readFileSync(M(dir, 'mappings/coco@1.0.0.csv')), { overwrite: false }); // the other run
      try {
        writeFileAtomic(file, readFileSync(M(dir, 'mappings/coco@1.0.0.csv')), { overwrite: false }); // this one
      } catch (error) {
        if (error instanceof LabelmapError) return `error ${error.finding.code}: x\n  fix: ${fixOf(error.finding)}\n`;
        throw error;
      }
      return '';
    },
    before: { 'labelmap bump <sheet> <major|minor|patch>': { step: 'the other run\'s version is edited (a bump of an unedited copy is refused)', do: ({ dir }) => edit(M(dir, 'mappings/coco@1.1.0.csv'), (t) => t.replace(/^(person,[^,]*,).*$/m, '$1reviewed')) } },
    fill: { '<sheet>': 'mappings/coco', '<major|minor|patch>': 'minor' } },
  { code: 'sheet-readonly', what: 'bump with no sheets folder (the shipped sheets)', empty: true, run: ['bump', 'coco', 'minor'], fixes: true, alternatives: true },
  { code: 'format-undetected', what: 'extract auto of the folder the COCO download unpacked to', run: ['extract', 'auto', 'coco2017', '--name', 'coco-val'],
    setup: (dir) => {
      mkdirSync(path.join(dir, 'coco2017', 'annotations'), { recursive: true });
      cpSync(path.join(FIXTURES, 'coco', 'instances-categories-first.json'), path.join(dir, 'coco2017', 'annotations', 'instances_val2017.json'));
    }, alternatives: true },
  { code: 'format-undetected', what: 'extract auto of a list whose file name says nothing', run: ['extract', 'auto', 'my-classes.lst'],
    setup: (dir) => writeFileSync(path.join(dir, 'my-classes.lst'), 'shelf\ntill\n'), fill: { '<format>': 'names' }, alternatives: true },
  { code: 'label-file-kind', what: 'extract cityscapes of an ApolloScape label file', run: ['extract', 'cityscapes', 'labels_apollo.py'],
    setup: (dir) => cpSync(path.join(FIXTURES, 'apolloscape', 'labels_apollo.py'), path.join(dir, 'labels_apollo.py')) },
  { code: 'lock-sheet-changed', what: 'edits a released sheet in place', run: ['validate'],
    setup: (dir) => edit(M(dir, 'mappings/coco@1.0.0.csv'), (t) => t.replace(/^(person,[^,]*,).*$/m, '$1edited')),
    fill: { '<major|minor|patch>': 'patch' }, fixes: true },
  { code: 'lock-sheet-changed', what: 'edits a released sheet in place and runs validate from sheets/mappings', run: ['validate'], cwd: 'sheets/mappings',
    setup: (dir) => edit(M(dir, 'mappings/coco@1.0.0.csv'), (t) => t.replace(/^(person,[^,]*,).*$/m, '$1edited')),
    fill: { '<major|minor|patch>': 'patch' }, fixes: true },
  { code: 'lock-sheet-missing', what: 'deletes a released sheet', run: ['validate'],
    setup: (dir) => rmSync(M(dir, 'mappings/coco@1.0.0.csv')), fill: { '<major|minor|patch>': 'patch' }, fixes: true },
  { code: 'lock-invalid', what: 'the lock file is damaged', run: ['validate'], setup: (dir) => writeFileSync(M(dir, 'labelmap.lock.json'), '{"format":'),
    before: { 'labelmap release': { step: 'delete it', do: ({ dir }) => rmSync(M(dir, 'labelmap.lock.json')) } }, fixes: true },
  { code: 'bump-too-small', what: 'retargets a class in a patch version (a new, untracked file)', run: ['validate'],
    setup: (dir) => {
      const text = readFileSync(M(dir, 'mappings/coco@1.0.0.csv'), 'utf8');
      writeFileSync(M(dir, 'mappings/coco@1.0.1.csv'), text.replace(/^(cat,)[^,]*,/m, '$1dog,'));
    },
    exits: { 'labelmap diff mappings/coco@1.0.0 mappings/coco@1.0.1': 1 }, fixes: true },
  { code: 'bundle-json', what: 'export of a bundle cut off', run: ['export', '--bundle', 'build/unified/labelmap.json', '--format', 'python'],
    setup: async (dir) => {
      expect((await runInProcess(['merge'], { cwd: dir })).code).toBe(0);
      edit(path.join(dir, 'build/unified/labelmap.json'), (t) => t.slice(0, 100));
    }, fixes: true },
  { code: 'bundle-format', what: 'export of a JSON file that is no bundle', run: ['export', '--bundle', 'other.json', '--format', 'python'],
    setup: (dir) => writeFileSync(path.join(dir, 'other.json'), '{"labels": []}\n') },
  { code: 'bundle-version', what: 'export of a bundle from a newer labelmap', run: ['export', '--bundle', 'build/unified/labelmap.json', '--format', 'python'],
    setup: async (dir) => {
      expect((await runInProcess(['merge'], { cwd: dir })).code).toBe(0);
      edit(path.join(dir, 'build/unified/labelmap.json'), (t) => t.replace(/"format_version": *\d+/, '"format_version": 99'));
    }, fixes: true },
  { code: 'bundle-invalid', what: 'export of a bundle edited by hand', run: ['export', '--bundle', 'build/unified/labelmap.json', '--format', 'python'],
    setup: async (dir) => {
      expect((await runInProcess(['merge'], { cwd: dir })).code).toBe(0);
      edit(path.join(dir, 'build/unified/labelmap.json'), (t) => t.replace(/"labels": *\[/, '"labels": 7, "was": ['));
    }, fixes: true },
  { code: 'unknown-class', what: 'the library looks up a class the dataset lacks',
    run: async (dir) => {
      try {
        openSheets(path.join(dir, 'sheets'), { vertical: 'indoor' }).lookup('coco', 'sofa bed');
      } catch (error) {
        if (error instanceof LabelmapError) return `error unknown-class: x\n  fix: ${fixOf(error.finding)}\n`;
        throw error;
      }
      return '';
    } },
  { code: 'suggest-mapping-exists', what: 'suggest --write for a dataset with a mapping', run: ['suggest', 'coco', '--write'] },
  { code: 'sheet-ref-kind', what: 'suggest of a mapping sheet', run: ['suggest', 'mappings/coco'] },
  { code: 'suggest-out-in-sheets', what: 'suggest --out into the mappings folder', run: ['suggest', 'warehouse', '--out', 'sheets/mappings/warehouse@1.0.0.csv'],
    setup: async (dir) => {
      writeFileSync(path.join(dir, 'warehouse.names'), 'shelf\nforklift\n');
      expect((await runInProcess(['extract', 'names', 'warehouse.names', '--name', 'warehouse'], { cwd: dir })).code).toBe(0);
    }, alternatives: true },
  { code: 'mapping-dataset-missing', what: 'a mapping without its dataset sheet', run: ['validate'],
    setup: (dir) => {
      writeFileSync(M(dir, 'mappings/warehouse@1.0.0.csv'), 'source,target,note\nshelf,furniture,\n');
      writeFileSync(path.join(dir, 'warehouse.names'), 'shelf\n');
    },
    fill: { '<format>': 'names', '<input>': 'warehouse.names' }, fixes: true },
];

/** The team repository every scenario starts from (a copy each): init, npm-free, in git, released. */
let base = '';

async function stateOf(scenario: Scenario): Promise<string> {
  const dir = scenario.empty ? tempDir() : mkdtempSync(path.join(tmpdir(), 'labelmap-fix-'));
  if (!scenario.empty) cpSync(base, dir, { recursive: true });
  await scenario.setup?.(dir);
  return dir;
}

function copyOf(dir: string): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'labelmap-fix-'));
  cpSync(dir, copy, { recursive: true, verbatimSymlinks: true });
  return copy;
}

describe('every fix text that names a command runs as written', () => {
  beforeAll(async () => {
    const cwd = tempDir();
    expect((await runInProcess(['init', 'team'], { cwd })).code).toBe(0);
    base = path.join(cwd, 'team');
    for (const args of [['init', '-q', '-b', 'main'], ['add', '-A'], ['commit', '-qm', 'v1']]) expect(git(base, ...args).code).toBe(0);
  }, 120_000);

  it('every code whose fix names a command has a scenario', () => {
    const codes = codesWhoseFixNamesACommand();
    expect(codes.length).toBeGreaterThan(20);
    const covered = new Set(SCENARIOS.map((s) => s.code));
    expect(codes.filter((c) => !covered.has(c))).toEqual([]);
  });

  it('no call site passes its own fix text that names a command (the wording lives in MESSAGES)', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (p.endsWith('.ts') && !p.endsWith(path.join('src', 'findings.ts'))) {
          for (const m of readFileSync(p, 'utf8').matchAll(/\bfix: *([`'"])(.*?)\1/g)) if (NAMES_COMMAND.test(m[2]!)) offenders.push(`${path.relative(ROOT, p)}: ${m[2]}`);
        }
      }
    };
    walk(path.join(ROOT, 'src'));
    expect(offenders).toEqual([]);
  });

  it.each(SCENARIOS.map((s) => [`${s.code}: ${s.what}`, s] as const))('%s', async (_name, scenario) => {
    const dir = await stateOf(scenario);
    const cwd = path.join(dir, scenario.cwd ?? '.');
    const first = typeof scenario.run === 'function' ? { code: 2, stdout: '', stderr: await scenario.run(dir) } : await runInProcess(scenario.run, { cwd });
    const fix = fixLineOf(`${first.stdout}\n${first.stderr}`, scenario.code);
    expect(fix, `${scenario.code} in:\n${first.stdout}\n${first.stderr}`).not.toBeNull();
    // Commands are written in backticks, so they can be told from the prose.
    const bare = fix!.replace(/`[^`]*`/g, '').match(new RegExp(`\\blabelmap (?:${SUBCOMMANDS.join('|')})\\b`));
    expect(bare, fix!).toBeNull();
    const commands = commandsOf(fix!);

    expect(commands.length, fix!).toBeGreaterThan(0);
    for (const skipped of Object.keys(scenario.notHere ?? {})) expect(commands, `notHere names a command of the fix: ${fix}`).toContain(skipped);
    let state = dir;
    for (const written of commands) {
      if (scenario.notHere?.[written]) continue;
      let command = written;
      for (const [placeholder, value] of Object.entries(scenario.fill ?? {})) command = command.split(placeholder).join(value);
      expect(command, `a placeholder the scenario does not fill: ${written}`).not.toMatch(/<[^>]+>/);
      if (scenario.alternatives) state = copyOf(dir);
      let runIn = path.join(state, scenario.cwd ?? '.');
      const step = scenario.before?.[written];
      if (step) runIn = step.do({ dir: state }) ?? runIn;
      const r = await runCommand(command, runIn);
      expect(r.code, `\`${command}\` (from the fix of ${scenario.code}: ${fix}) in ${runIn}:\n${r.stdout}\n${r.stderr}`).toBe(scenario.exits?.[written] ?? 0);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }
    if (scenario.fixes && typeof scenario.run !== 'function') {
      const again = await runInProcess(scenario.run, { cwd: path.join(state, scenario.cwd ?? '.') });
      expect(`${again.stdout}\n${again.stderr}`, `after the fix, ${scenario.run.join(' ')}`).not.toContain(` ${scenario.code}:`);
    }
  });
});
