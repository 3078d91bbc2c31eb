// A write that fails (the file size limit, a file where a folder is expected): exit 2 with an
// error naming the file, never an internal error, and no temporary file left behind.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, runInProcess, tempDir } from '../helpers/cli.js';

/** A model config whose dataset sheet is about 200 KB. */
function bigConfig(dir: string): string {
  const id2label: Record<string, string> = {};
  for (let i = 0; i < 5000; i++) id2label[String(i)] = `class number ${i}`;
  const file = path.join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ model_type: 'big', id2label }));
  return file;
}

describe('failed writes', () => {
  it('beyond the file size limit (EFBIG): exit 2 naming the sheet, and the temporary file is removed', () => {
    const dir = tempDir({});
    mkdirSync(path.join(dir, 'sheets', 'datasets'), { recursive: true });
    const config = bigConfig(dir);
    // SIGXFSZ ignored (inherited through exec): the write fails with EFBIG instead of killing node.
    const r = spawnSync('bash', ['-c', `trap '' XFSZ; ulimit -f 64; exec "${process.execPath}" "${BIN}" extract hf "${config}" --name big`], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`labelmap: ${path.join(dir, 'sheets', 'datasets', 'big@1.0.0.csv')}: error file-unwritable: cannot write big@1.0.0.csv: EFBIG, larger than the file size limit\n`);
    expect(r.stderr).not.toContain('internal error');
    expect(readdirSync(path.join(dir, 'sheets', 'datasets'))).toEqual([]);
  });

  it('a file where the datasets folder should be: exit 2 naming it, not an internal error', async () => {
    const dir = tempDir({ 'sheets/datasets': 'not a folder' });
    const r = await runInProcess(['extract', 'hf', bigConfig(dir), '--name', 'big'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^labelmap: \S+\/sheets\/datasets\/big@1\.0\.0\.csv: error file-unwritable: cannot write big@1\.0\.0\.csv: (ENOTDIR|EEXIST), a part of the path is a file, not a folder\n/m);
    expect(r.stderr).not.toContain("internal error");
  });

  it('release into a lock path that is a folder: exit 2, the folder left as it is', async () => {
    const dir = tempDir({ 'sheets/labelmap.lock.json/keep': '' });
    mkdirSync(path.join(dir, 'sheets', 'datasets'), { recursive: true });
    const r = await runInProcess(['release'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('labelmap.lock.json: error file-unreadable: cannot read lock file: a directory, not a regular file');
    expect(readdirSync(path.join(dir, 'sheets', 'labelmap.lock.json'))).toEqual(['keep']);
  });
});
