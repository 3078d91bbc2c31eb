// `instanceof LabelmapError` holds for a LabelmapError of any copy of src/findings.ts: the CLI runs
// from its bundle while a format plugin throws the package library's class (tests/e2e/bundle.test.ts
// runs that end to end). Subclasses keep the usual prototype check.
import { describe, expect, it } from 'vitest';
import { FindingsError, finding, LabelmapError } from '../../src/findings.js';

describe('instanceof LabelmapError', () => {
  it("counts another copy's LabelmapError (the mark is a registered symbol), and nothing else", async () => {
    // A second copy of the module: the same file under another URL is another module instance.
    const url = `${new URL('../../src/findings.ts', import.meta.url).href}?copy=${Date.now()}`;
    const other = (await import(/* @vite-ignore */ url)) as typeof import('../../src/findings.js');
    expect(other.LabelmapError).not.toBe(LabelmapError);
    const theirs = new other.LabelmapError('file-not-found', { file: 'a.csv' }, { what: 'file' });
    expect(theirs instanceof LabelmapError).toBe(true);
    expect(new LabelmapError('file-not-found', { file: 'a.csv' }, { what: 'file' }) instanceof other.LabelmapError).toBe(true);
    expect(new Error('x') instanceof LabelmapError).toBe(false);
    expect(Object.assign(new Error('x'), { finding: theirs.finding }) instanceof LabelmapError).toBe(false);
    expect((null as unknown) instanceof LabelmapError).toBe(false);
    expect(('text' as unknown) instanceof LabelmapError).toBe(false);
  });

  it('FindingsError: its own instances only', () => {
    const error = new FindingsError([finding('csv-empty', 'error', { file: 'a.csv', line: 1 }, {})]);
    expect(error instanceof FindingsError).toBe(true);
    expect(error instanceof LabelmapError).toBe(true);
    expect(new LabelmapError('csv-empty', { file: 'a.csv' }) instanceof FindingsError).toBe(false);
  });
});
