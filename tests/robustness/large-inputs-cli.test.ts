// Issue 24: large inputs through the CLI, never `Maximum call stack size exceeded` (a spread of a
// data-sized array into a call): a 250,000-class taxonomy (validate and merge), a bundle with
// 600,000 LUT entries (export), and a native class id of 2^24-1 (merge, python export imported by
// python3). Each run must end with its exit code and its findings, no RangeError, no stack trace.
// The built CLI in a child process, awaited (a long synchronous run in the test's own process would
// block the test runner's messages); the hang guard is a guard, not a performance limit.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { runLabelmap } from './helpers.js';

// Hang guards, not performance limits: on a shared 2-core machine under the full suite one of these
// runs took more than the suite's 180 s default; a hang still ends the test.
const GUARD = 840_000;
const HANG_GUARD = 900_000;

const TAXONOMY_HEADER = 'id,name,parent,display_name,color,is_thing,description\n';
const DATASET_HEADER = 'id,name,display_name,category,train_id,color,is_thing,evaluate\n';
/** python3 in an awaited child: building a 16,777,216-entry list can take a minute under load, and a synchronous spawn would block the test runner's messages that long. */
async function python(code: string, cwd: string): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)('python3', ['-I', '-c', code], { cwd, encoding: 'utf8', maxBuffer: 1024 * 1024 });
}

const CRASH = /Maximum call stack|RangeError|internal error|\n\s+at .*\.(?:js|ts):\d+/;

describe('large inputs through the CLI', () => {
  it('a 250,000-class taxonomy: validate and merge end with their findings', async () => {
    const rows: string[] = [];
    for (let i = 0; i < 250_000; i++) rows.push(`${i},c${i},${i < 10 ? '' : `c${i % 10}`},,,,`);
    const dir = tempDir({
      'sheets/taxonomy/core@1.0.0.csv': TAXONOMY_HEADER + rows.join('\n') + '\n',
      'sheets/verticals/product@1.0.0.csv': 'class,include,train_id,color\na,c0,,\nb,c1,,\n',
      'sheets/datasets/ds@1.0.0.csv': `${DATASET_HEADER}0,x,,,,,,\n1,y,,,,,,\n`,
      'sheets/mappings/ds@1.0.0.csv': 'source,target,note\nx,c0,\ny,c12,\n',
    });
    const validate = await runLabelmap(['validate', '--format', 'json'], { cwd: dir, hangGuardMs: GUARD });
    expect(validate.stderr).not.toMatch(CRASH);
    expect(validate.code).toBe(1);
    const report = JSON.parse(validate.stdout) as { findings: { code: string }[] };
    // ids 65,535 .. 249,999 do not fit the 16-bit unified label set; nothing else is wrong
    expect(report.findings.filter((f) => f.code === 'taxonomy-id-range')).toHaveLength(250_000 - 65_535);
    expect(new Set(report.findings.map((f) => f.code))).toEqual(new Set(['taxonomy-id-range']));
    const merge = await runLabelmap(['merge', '--vertical', 'product', '--out', 'build'], { cwd: dir, hangGuardMs: GUARD });
    expect(merge.stderr).not.toMatch(CRASH);
    expect(merge.code).toBe(2);
    expect(merge.stderr).toContain('taxonomy/core@1.0.0.csv:65537:1: error taxonomy-id-range: class "c65535" has the id 65535');
  }, HANG_GUARD);

  it('a native class id of 2^24-1: merge, and the python export imports with it in its LUT', async () => {
    const dir = tempDir({
      'sheets/taxonomy/core@1.0.0.csv': `${TAXONOMY_HEADER}1,car,,,,,\n`,
      'sheets/verticals/product@1.0.0.csv': 'class,include,train_id,color\ncar,car,,\n',
      'sheets/datasets/ds@1.0.0.csv': `${DATASET_HEADER}0,x,,,,,,\n16777215,y,,,,,,\n`,
      'sheets/mappings/ds@1.0.0.csv': 'source,target,note\nx,car,\ny,car,\n',
    });
    const merge = await runLabelmap(['merge', '--vertical', 'product', '--out', 'build', '--quiet'], { cwd: dir, hangGuardMs: GUARD });
    expect(merge.code).toBe(0);
    const exported = await runLabelmap(['export', '--bundle', 'build', '--format', 'python', '--out', 'product_labels.py', '--quiet'], { cwd: dir, hangGuardMs: GUARD });
    expect(exported.stderr).not.toMatch(CRASH);
    expect(exported.code).toBe(0);
    const py = await python('import sys; sys.path.insert(0, "."); import product_labels as m; lut = m.LUT["ds"]; print(len(lut), lut[16777215], lut[1])', dir);
    expect(py.stderr).toBe('');
    expect(py.stdout.trim()).toBe('16777216 0 255');
  });

  it('a bundle with 600,000 LUT entries: export compiles it from the sheets and writes the python module', async () => {
    // As a labelmap.json file such a bundle was about 69 MB fully indented, above the 64 MB read
    // limit (refused as file-too-large before it is read); one record per line it is about half
    // that. Compiled from the sheets (a 600,000-class dataset sheet of 8 MB) it reaches every
    // export whole.
    const classes: string[] = [];
    const mapped: string[] = [];
    for (let i = 0; i < 600_000; i++) {
      classes.push(`${i},n${i},,,,,,`);
      mapped.push(`n${i},${i % 2 ? 'road' : 'car'},`);
    }
    const dir = tempDir({
      'sheets/taxonomy/core@1.0.0.csv': `${TAXONOMY_HEADER}1,car,,,,,\n2,road,,,,,\n`,
      'sheets/verticals/product@1.0.0.csv': 'class,include,train_id,color\ncar,car,,\nroad,road,,\n',
      'sheets/datasets/ds@1.0.0.csv': DATASET_HEADER + classes.join('\n') + '\n',
      'sheets/mappings/ds@1.0.0.csv': 'source,target,note\n' + mapped.join('\n') + '\n',
    });
    // One format (each export compiles the whole set again; the other formats share the same code paths for the LUT).
    const r = await runLabelmap(['export', '--vertical', 'product', '--format', 'python', '--out', 'out_python.py', '--quiet'], { cwd: dir, hangGuardMs: GUARD });
    expect(r.stderr).not.toMatch(CRASH);
    expect(r.code, r.stderr).toBe(0);
    const py = await python('import sys; sys.path.insert(0, "."); import out_python as m; lut = m.LUT["ds"]; print(len(lut), lut[599998], lut[599999])', dir);
    expect(py.stderr).toBe('');
    expect(py.stdout.trim()).toBe('600000 0 1');
  }, HANG_GUARD);
});
