// Plain command lines are read without commander (src/cli/argv.ts, start-up: issues 21 and 23).
// What the reader gives a command must be exactly what commander's action would get, on every
// example of the README and of the command table, and on generated command lines made of the
// table's own words, flags and values, typos and help among them. Where the reader gives up
// (null), commander reads the line, so only the lines it accepts are compared.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPlainArgv, type PlainCommandLine } from '../../src/cli/argv.js';
import { COMMANDS } from '../../src/cli/commands.js';
import { buildProgram } from '../../src/cli/program.js';
import { ROOT, runInProcess, tempDir } from '../helpers/cli.js';
import { readmeExamples } from '../helpers/examples.js';

const sink = { write: () => true };

interface Read {
  spec: string;
  positional: PlainCommandLine['positional'];
  opts: Record<string, unknown>;
}

/** What commander hands the command's action for `args`, or 'error' when it refuses or prints help. */
async function commanderReads(args: readonly string[]): Promise<Read | 'error'> {
  let read: Read | 'error' = 'error';
  const program = buildProgram({ stdout: sink, stderr: sink, env: {} }, async (line) => {
    read = { spec: line.spec.usage, positional: line.positional, opts: { ...line.opts } };
  });
  try {
    await program.parseAsync(['node', 'labelmap', ...args]);
  } catch {
    return 'error';
  }
  return read;
}

function plainReads(args: readonly string[]): Read | null {
  const line = readPlainArgv(args, COMMANDS);
  return line && { spec: line.spec.usage, positional: line.positional, opts: { ...line.opts } };
}

/** Shell words of an example line (no quotes with spaces in the examples), without `> file`. */
function words(line: string): string[] {
  return line
    .replace(/\s+>\s*\S+$/, '')
    .split(/\s+/)
    .slice(1)
    .map((w) => w.replace(/^'(.*)'$/, '$1'));
}

const examples = [...new Set([...COMMANDS.flatMap((c) => c.examples), ...readmeExamples(readFileSync(path.join(ROOT, 'README.md'), 'utf8'))])].filter((e) => !/[|&;$`"]/.test(e));

describe('plain command lines without commander', () => {
  it('reads every example of the command table and the README as commander does', async () => {
    let plain = 0;
    for (const example of examples) {
      const args = words(example);
      const mine = plainReads(args);
      const theirs = await commanderReads(args);
      if (mine) {
        plain++;
        expect({ example, read: mine }).toEqual({ example, read: theirs });
      } else {
        // Only the forms the reader leaves to commander on purpose: a variadic flag, help.
        expect({ example, args }).toEqual({ example, args: expect.arrayContaining([expect.stringMatching(/^--(diff|help)$|^-h$/)]) });
      }
    }
    // The fast path is the common one: nearly every example takes it.
    expect(plain).toBeGreaterThan(examples.length * 0.9);
  });

  it('reads a generated command line as commander does, or leaves it to commander', async () => {
    const globalWords = ['--json', '-q', '--quiet', '--no-color', '--sheets', 'sheets', '--sheets=./s', '--color', '-j', '--help', '-h', '--', '-', '--json=1'];
    const commandWord = fc.oneof(fc.constantFrom(...COMMANDS.map((c) => c.usage.split(' ')[0]!)), fc.constantFrom('help', 'lst', 'find-x'));
    const flagWord = fc.constantFrom(...COMMANDS.flatMap((c) => (c.options ?? []).map((o) => o.flags.split(' ')[0]!)), '--no-write', '--stat', '--vertical=self-driving', '--format=coco', '--fail-on=major', '--fail-on=huge');
    const valueWord = fc.constantFrom(...COMMANDS.flatMap((c) => (c.options ?? []).flatMap((o) => o.choices ?? [])), 'self-driving', 'x.csv', '0.7', '', '-1', 'a b', 'list', 'find', '--json');
    const word = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('coco', 'bicycle', 'v1', 'v2', 'major', 'sheets', 'dir') }, { weight: 3, arbitrary: flagWord }, { weight: 3, arbitrary: valueWord }, { weight: 2, arbitrary: fc.constantFrom(...globalWords) });
    const anyLine = fc.tuple(fc.array(fc.constantFrom(...globalWords), { maxLength: 2 }), commandWord, fc.array(word, { maxLength: 6 })).map(([g, c, rest]) => [...g, c, ...rest]);
    // Lines near a command's own shape: its arguments (one too few to one too many), its flags
    // with their choices or a plain value, global flags around them, in any order after the word.
    const nearLine = fc.constantFrom(...COMMANDS).chain((spec) => {
      const [name, ...argWords] = spec.usage.split(' ');
      const flags = (spec.options ?? []).map((o): fc.Arbitrary<string[]> => {
        const flag = o.flags.split(' ')[0]!;
        if (!o.flags.includes('<')) return fc.constant([flag]);
        const value = o.choices ? fc.oneof(fc.constantFrom(...o.choices), fc.constant('other')) : fc.constantFrom('x', 'self-driving', 'out.csv', '2');
        return value.chain((v) => fc.constantFrom([flag, v], [`${flag}=${v}`]));
      });
      const none = fc.constant<string[][]>([]);
      const someFlags: fc.Arbitrary<string[][]> = fc.subarray(flags.map((_, i) => i)).chain((picked) => (picked.length ? fc.tuple(...picked.map((i) => flags[i]!)).map((t) => [...t]) : none));
      const tokens = fc.tuple(
        fc.array(fc.constantFrom('coco', 'bicycle', 'v1', 'sheets'), { minLength: Math.max(0, argWords.filter((w) => w.startsWith('<')).length - 1), maxLength: argWords.length + 1 }).map((ws) => ws.map((w) => [w])),
        flags.length ? someFlags : none,
        fc.subarray([['--json'], ['-q'], ['--no-color'], ['--sheets', 'sheets'], ['--quiet']]),
      );
      return fc.tuple(tokens, fc.array(fc.constantFrom('--json', '-q', '--sheets=s'), { maxLength: 1 })).chain(([[args, opts, globals], before]) =>
        fc.shuffledSubarray([...args, ...opts, ...globals], { minLength: args.length + opts.length + globals.length }).map((groups) => [...before, name!, ...groups.flat()]),
      );
    });
    const line = fc.oneof(anyLine, nearLine);
    let plain = 0;
    await fc.assert(
      fc.asyncProperty(line, async (args) => {
        const mine = plainReads(args);
        if (!mine) return;
        plain++;
        expect(mine).toEqual(await commanderReads(args));
      }),
      { numRuns: 1500 },
    );
    // Some of the generated lines must be plain, or this compares nothing.
    expect(plain).toBeGreaterThan(300);
  });

  it('leaves help, typos, `--`, bundles, dash values and missing or extra arguments to commander', () => {
    for (const args of [
      [],
      ['--help'],
      ['find', '--help'],
      ['help', 'find'],
      ['fnd', 'x'],
      ['find'],
      ['show', 'coco', 'extra'],
      ['list', 'list'],
      ['-qj', 'list'],
      ['find', '--', '-x'],
      ['find', 'x', '--vertical'],
      ['find', 'x', '--vertical', '--json'],
      ['diff', 'v1', '--fail-on', 'huge'],
      ['report', '--diff', 'v1', 'v2'],
      ['--vertical', 'x', 'find', 'y'],
      ['list', '--json=yes'],
      ['merge', '--no-write'],
    ]) {
      expect({ args, read: readPlainArgv(args, COMMANDS) }).toEqual({ args, read: null });
    }
  });

  it('runs a command the same through either reader (stdout, stderr, exit code)', async () => {
    const dir = tempDir({
      'sheets/taxonomy/core@1.0.0.csv': 'id,name,parent,display_name,color,is_thing,description\n1,vehicle,,,,,\n2,car,vehicle,,,,\n',
      'sheets/datasets/ds@1.0.0.csv': 'id,name,display_name,category,train_id,color,is_thing,evaluate\n1,car,,,,,,\n',
    });
    for (const args of [['list'], ['--json', 'list'], ['show', 'ds', '--json'], ['-q', 'show', 'nope'], ['--json', 'show', 'nope'], ['validate'], ['find', 'car']]) {
      const plain = await runInProcess(args, { cwd: dir });
      expect({ args, ...plain }).toEqual({ args, ...(await runInProcess(args, { cwd: dir, commander: true })) });
    }
  });
});
