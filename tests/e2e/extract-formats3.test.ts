// The issue-18 formats of branch formats3 through the built binary: auto picks them, the sheet
// goes to stdout, a hostile input is one located error with exit 2.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers/cli.js';

describe('labelmap extract (openimages, gtsrb, mtsd, labelbox, vott)', () => {
  it('extract auto <hierarchy> --stdout: the Open Images sheet, exit 0', () => {
    const r = runCli(['extract', 'auto', path.join(FIXTURES, 'openimages', 'bbox_labels_600_hierarchy.json'), '--stdout']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toContain('x_mid');
    expect(lines[0]).toContain('x_parent');
    expect(lines).toContainEqual(expect.stringMatching(/^7,Teddy bear,,Toy,.*\/m\/0138tl;\/m\/09dzg/));
  });

  it('extract gtsrb <folder> --stats --stdout: counts per ClassId', () => {
    const r = runCli(['extract', 'gtsrb', path.join(FIXTURES, 'gtsrb', 'Final_Training', 'Images'), '--stats', '--stdout']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^14,Stop,.*,2,2$/m);
  });

  it('a truncated GT file: one located error on stderr, exit 2, nothing on stdout', () => {
    const file = path.join(FIXTURES, 'gtsrb', 'hostile', 'GT-truncated.csv');
    const r = runCli(['extract', 'gtsrb', file, '--labels', path.join(FIXTURES, 'gtsrb', 'signnames.csv'), '--stdout']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${file}:3: error class-list-line`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
