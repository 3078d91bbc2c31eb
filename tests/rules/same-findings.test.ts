// Same sheets -> same findings, whoever asks (issue 14): the planted set (fixtures/rules/planted:
// a repeated include, a mapping with three defects, a coarse source) gives the same codes from
// `labelmap validate`, from `labelmap merge` through the program, and from the library's
// openSheets, each in one run.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSheets } from '../../src/api/index.js';
import { FindingsError, type Finding } from '../../src/findings.js';
import { validateSheets } from '../../src/validate/run.js';
import { FIXTURES, runCli, tempDir } from '../helpers/cli.js';

const PLANTED = path.join(FIXTURES, 'rules', 'planted');

/** `file:line code` of each finding, in the order validate prints them. */
const brief = (f: Pick<Finding, 'file' | 'line' | 'code'>) => `${f.file}:${f.line ?? ''} ${f.code}`;

const EXPECTED = [
  'mappings/street@1.0.0.csv:4 duplicate-name',
  'mappings/street@1.0.0.csv:5 cell-invalid',
  'mappings/street@1.0.0.csv:6 mapping-target-unknown',
  'mappings/street@1.0.0.csv:7 merge-coarser-than-vertical',
  'verticals/drive@1.0.0.csv:6 vertical-include-duplicate',
];

describe('the planted sheet set', () => {
  it('validate reports all five in one run, sorted by file and line', () => {
    const { findings } = validateSheets(PLANTED);
    expect(findings.map(brief)).toEqual(EXPECTED);
    expect(findings.find((f) => f.code === 'mapping-target-unknown')!.args.suggestion).toBe('truck');
  });

  it('openSheets stops on the errors and carries every finding', () => {
    let thrown: unknown;
    try {
      openSheets(PLANTED, { vertical: 'drive' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FindingsError);
    const findings = [...(thrown as FindingsError).findings].sort((a, b) => brief(a).localeCompare(brief(b)));
    expect(findings.map(brief)).toEqual(EXPECTED);
  });

  it('merge (the program) prints the same codes and stops (exit 2, nothing written)', () => {
    const cwd = tempDir();
    const r = runCli(['--sheets', PLANTED, 'merge', '--vertical', 'drive', '--all-warnings'], { cwd, env: { NO_COLOR: '1' } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const printed = [...r.stderr.matchAll(/^(?:labelmap: )?([^\s:]+):(\d+)(?::\d+)?: (?:error|warning) ([a-z0-9-]+):/gm)].map(
      (m) => `${m[1]}:${m[2]} ${m[3]}`,
    );
    expect(printed.sort()).toEqual(EXPECTED);
    expect(r.stderr).toContain('labelmap: 3 errors in the sheet set; the first follows');
  });
});
