// Python label tables (labels.py) are read as text by a small literal parser: hostile nesting and
// files cut short must be located syntax errors, not a stack overflow or a silently short table.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePythonLabels } from '../../src/formats/python-labels.js';
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
