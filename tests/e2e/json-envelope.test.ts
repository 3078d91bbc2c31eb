// One JSON envelope (issue 22): every command's --json output, through the built binary, is one
// JSON document that starts with {"format": "labelmap-<command>", "format_version": <n>, ...}.
// The commands come from the command table, so a command added without a case here fails.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { FIXTURES, runCliAsync, runInProcess, tempDir } from '../helpers/cli.js';

interface Case {
  /** labelmap arguments after --json, run in the team repository (or in an empty folder: init). */
  args: string[];
  /** The format, when it is not labelmap-<command>: a document with its own reader. */
  format?: string;
  inEmpty?: boolean;
}

const CASES: Record<string, Case> = {
  list: { args: ['list'] },
  show: { args: ['show', 'coco'] },
  find: { args: ['find', 'bicycle'] },
  report: { args: ['report', '--vertical', 'indoor', '--out', 'r.html'] },
  suggest: { args: ['suggest', 'warehouse'] },
  extract: { args: ['extract', 'names', 'warehouse.names', '--name', 'shop'] },
  formats: { args: ['formats'] },
  // merge --json prints the bundle itself (labelmap.json, which training code and --bundle read).
  merge: { args: ['merge', '--vertical', 'indoor'], format: 'labelmap-bundle' },
  apply: { args: ['apply', path.join(FIXTURES, 'apply', 'cityscapes'), '--dataset', 'cityscapes', '--vertical', 'self-driving', '--match', '*_labelIds.png', '--stats'] },
  diff: { args: ['diff', 'sheets', 'sheets'] },
  bump: { args: ['bump', 'mappings/coco', 'minor'] },
  release: { args: ['release', '--dry-run'] },
  export: { args: ['export', '--vertical', 'indoor', '--format', 'python', '--out', 'labels.py'] },
  validate: { args: ['validate'] },
  attributes: { args: ['attributes', path.join(FIXTURES, 'attributes', 'generic.csv'), '--dataset', 'generic'] },
  init: { args: ['init', 'labels'], inEmpty: true },
};

/** Commands whose output is JSON with or without --json, and in another standard's envelope. */
const OWN_STANDARD: Record<string, string> = {
  // A JSON Schema document (`$schema` says which draft): a `format` key would be read as the
  // JSON Schema keyword of that name by every validator that loads the file.
  schema: 'JSON Schema',
};

let repo = '';

describe('every --json output starts with {"format": "labelmap-<command>", "format_version": n}', () => {
  beforeAll(async () => {
    const cwd = tempDir();
    expect((await runCliAsync(['init', 'team'], { cwd })).code).toBe(0);
    repo = path.join(cwd, 'team');
    // A dataset without a mapping, for suggest.
    writeFileSync(path.join(repo, 'warehouse.names'), 'person\nforklift\npallet\n');
    expect((await runCliAsync(['extract', 'names', 'warehouse.names', '--name', 'warehouse'], { cwd: repo })).code).toBe(0);
  }, 60_000);

  it('the table covers every command of the CLI', async () => {
    const names = COMMANDS.map((c) => c.usage.split(' ')[0]!);
    expect(names.filter((n) => !(n in CASES) && !(n in OWN_STANDARD))).toEqual([]);
    expect(Object.keys(CASES).filter((n) => !names.includes(n))).toEqual([]);
  });

  it.each(Object.entries(CASES))('%s', async (command, c) => {
    const r = await runCliAsync(['--json', ...c.args], { cwd: c.inEmpty ? tempDir() : repo });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(doc).slice(0, 2)).toEqual(['format', 'format_version']);
    expect(doc.format).toBe(c.format ?? `labelmap-${command}`);
    expect(Number.isInteger(doc.format_version) && (doc.format_version as number) >= 1).toBe(true);
  });

  it('schema prints JSON Schema documents (with or without --json), identified by $schema', async () => {
    const one = JSON.parse((await runCliAsync(['--json', 'schema', 'vertical'], { cwd: repo })).stdout) as Record<string, unknown>;
    expect(one.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect('format' in one).toBe(false);
    const all = JSON.parse((await runCliAsync(['schema'], { cwd: repo })).stdout) as Record<string, Record<string, unknown>>;
    expect(Object.values(all).every((s) => s.$schema === 'https://json-schema.org/draft/2020-12/schema')).toBe(true);
  });

  it('suggest --explain and validate --format json carry it too', async () => {
    const explain = JSON.parse((await runCliAsync(['--json', 'suggest', 'warehouse', '--explain', 'forklift'], { cwd: repo })).stdout) as Record<string, unknown>;
    expect(Object.keys(explain).slice(0, 2)).toEqual(['format', 'format_version']);
    expect(explain.format).toBe('labelmap-suggest-explain');
    const validate = JSON.parse((await runCliAsync(['validate', '--format', 'json'], { cwd: repo })).stdout) as Record<string, unknown>;
    expect(validate.format).toBe('labelmap-validate');
  });
});

describe('an error under --json is a document on stdout too (exit 2; the message stays on stderr)', () => {
  it('an input error: the finding with its code, place, message and fix', async () => {
    const r = await runInProcess(['--json', 'show', 'nosuch'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as { format: string; format_version: number; exit_code: number; error: Record<string, unknown> };
    expect(Object.keys(doc).slice(0, 2)).toEqual(['format', 'format_version']);
    expect(doc).toMatchObject({ format: 'labelmap-error', format_version: 1, exit_code: 2, error: { code: 'sheet-ref-not-found', severity: 'error' } });
    expect(r.stderr).toContain(String(doc.error.message).split('\n')[0]!.slice(0, 40));
    // Without --json: no document, the message alone.
    const plain = await runInProcess(['show', 'nosuch'], { cwd: tempDir() });
    expect(plain.code).toBe(2);
    expect(plain.stdout).toBe('');
  });

  it('a usage mistake, with --json before or after the command', async () => {
    for (const args of [['--json', 'find'], ['find', '--json', '--no-such-option', 'x']]) {
      const r = await runInProcess(args, { cwd: tempDir() });
      expect(r.code, args.join(' ')).toBe(2);
      const doc = JSON.parse(r.stdout) as { format: string; error: { code: string; message: string; args: { commander: string } } };
      expect(doc.format).toBe('labelmap-error');
      expect(doc.error.code).toBe('usage');
      expect(doc.error.args.commander).toMatch(/^commander\./);
      expect(r.stderr).toContain(doc.error.message);
    }
  });

  it('through the binary', async () => {
    const r = await runCliAsync(['--json', 'merge', '--vertical', 'nosuch'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect((JSON.parse(r.stdout) as { format: string; error: { code: string } }).error.code).toMatch(/^sheet-/);
    expect(r.stderr).toMatch(/^labelmap: /);
  });
});
