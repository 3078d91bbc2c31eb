// Python label tables (labels.py) are read as text by a small literal parser: hostile nesting and
// files cut short must be located syntax errors, not a stack overflow or a silently short table.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePythonLabels } from '../../src/formats/lib/python-literals.js';
import { FIXTURES } from '../helpers/cli.js';
import { findingOf } from '../helpers/finding-of.js';

const HEAD = "Label = namedtuple('Label', ['name', 'id', 'color'])\nlabels = [\n";

describe('Python label tables', () => {
  it('100,000 nested parentheses or signs are a syntax error, not a stack overflow', async () => {
    for (const value of [`${'('.repeat(100_000)}1${')'.repeat(100_000)}`, `${'-'.repeat(100_000)}1`, `${'['.repeat(100_000)}${']'.repeat(100_000)}`]) {
      const f = await findingOf(() => parsePythonLabels(`${HEAD}    Label('a', 1, ${value}),\n]\n`, 'labels.py'));
      expect(f).toMatchObject({ code: 'python-labels-syntax', file: 'labels.py', line: 3, args: { found: 'deeper nesting' } });
    }
  });

  it('the nesting real tables use is read', () => {
    const labels = parsePythonLabels(`${HEAD}    Label('a', 1, ((128, 64, 128))),\n    Label('b', -(2), [[1, 2], (3,)]),\n]\n`, 'labels.py');
    expect(labels.rows.map((r) => r.args)).toEqual([
      ['a', 1, [128, 64, 128]],
      ['b', -2, [[1, 2], [3]]],
    ]);
  });
});

describe('a label table cut short', () => {
  const table = readFileSync(path.join(FIXTURES, 'cityscapes', 'labels.py'), 'utf8');

  it('is an error wherever the cut falls inside the list, not a table without its last rows', async () => {
    const open = table.indexOf('labels = [');
    const close = table.indexOf('\n]', open);
    // Every cut from the list's "[" to its "]" (in steps, to keep the test quick).
    for (let cut = open + 'labels = ['.length; cut <= close; cut += 97) {
      const f = await findingOf(() => parsePythonLabels(table.slice(0, cut), 'labels.py'));
      expect(f.code, `cut at ${cut}`).toBe('python-labels-syntax');
    }
    const f = await findingOf(() => parsePythonLabels(table.slice(0, close), 'labels.py'));
    expect(f.args).toMatchObject({ expected: `a closing ] for the [ on line ${table.slice(0, open).split('\n').length}`, found: 'the end of the file (is it cut short?)' });
  });

  it('brackets in strings and comments do not count', () => {
    const labels = parsePythonLabels(`${HEAD}    Label('a [(', 1, (0, 0, 0)),  # ) ] unbalanced in a comment\n]\n`, 'labels.py');
    expect(labels.rows).toHaveLength(1);
  });
});
