// A temporary git repository holding the versioning fixtures: tag v1, then the v2 changes, tag v2.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, tempDir } from '../helpers/cli.js';

export const V1 = path.join(FIXTURES, 'versioning', 'v1', 'sheets');
export const V2 = path.join(FIXTURES, 'versioning', 'v2', 'sheets');

export function git(cwd: string, ...args: string[]): string {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.GIT_DIR;
  delete env.GIT_WORK_TREE;
  delete env.GIT_INDEX_FILE;
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    env,
  });
}

/** Copies the v2 changes over a v1 sheets folder: new versions in, the `indoor` vertical out. */
export function applyV2(sheets: string): void {
  cpSync(V2, sheets, { recursive: true });
  rmSync(path.join(sheets, 'verticals', 'indoor@1.0.0.csv'));
}

/** `<root>/<sub>` holds the sheets; commits tagged v1 and v2. */
export function makeRepo(sub = 'data/sheets'): { root: string; sheets: string } {
  const root = tempDir();
  const sheets = path.join(root, sub);
  git(root, 'init', '-q');
  cpSync(V1, sheets, { recursive: true });
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'v1');
  git(root, 'tag', 'v1');
  applyV2(sheets);
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'v2');
  git(root, 'tag', 'v2');
  return { root, sheets };
}
