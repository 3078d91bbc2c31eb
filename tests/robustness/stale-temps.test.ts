// Temporary files of writers that were killed mid-write (.<name>.tmp-<pid>-<hex>) are removed by
// the next write into the folder, once their process is gone and they are over a minute old.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { removeStaleTemps, writeFileAtomic } from '../../src/io/index.js';
import { tempDir } from '../helpers/cli.js';

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid!;
}

describe('stale temporary files', () => {
  it('the next write removes those of dead writers that are over a minute old, and nothing else', () => {
    const dead = deadPid();
    const dir = tempDir({
      [`.voc@1.0.0.csv.tmp-${dead}-0123abcd`]: 'half a sheet',
      [`.voc@1.0.1.csv.tmp-${dead}-89abcdef`]: 'a write that may still be going on elsewhere',
      [`.voc@1.0.2.csv.tmp-${process.ppid}-0123abcd`]: 'a live writer',
      '.voc@1.0.3.csv.tmp-notes': 'not one of ours',
      'voc@1.0.0.csv.tmp-1-0123abcd': 'no leading dot: not one of ours',
      'coco@1.0.0.csv': 'id,name\n',
    });
    const old = new Date(Date.now() - 10 * 60_000);
    for (const name of readdirSync(dir)) if (!name.startsWith('.voc@1.0.1')) utimesSync(path.join(dir, name), old, old);
    writeFileAtomic(path.join(dir, 'lvis@1.0.0.csv'), 'id,name\n', { overwrite: false });
    expect(readdirSync(dir).sort()).toEqual(
      [`.voc@1.0.1.csv.tmp-${dead}-89abcdef`, `.voc@1.0.2.csv.tmp-${process.ppid}-0123abcd`, '.voc@1.0.3.csv.tmp-notes', 'coco@1.0.0.csv', 'lvis@1.0.0.csv', 'voc@1.0.0.csv.tmp-1-0123abcd'].sort(),
    );
    // Once it is old, the other dead writer's file goes too.
    expect(removeStaleTemps(dir, Date.now() + 2 * 60_000)).toEqual([`.voc@1.0.1.csv.tmp-${dead}-89abcdef`]);
  });

  it('a folder that cannot be listed is no error', () => {
    const dir = tempDir({ 'file.txt': 'x' });
    expect(removeStaleTemps(path.join(dir, 'file.txt'))).toEqual([]);
    writeFileSync(path.join(dir, 'y'), '');
    expect(removeStaleTemps(path.join(dir, 'missing'))).toEqual([]);
  });
});
