// Reading a sheets folder as it was at a git revision: `git rev-parse` finds the commit,
// `git ls-tree` lists the files, `git cat-file blob` reads them (the bytes `git show <rev>:<path>`
// prints, without textconv). Nothing here writes: no checkout, no index, no work-tree change.
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { finding, LabelmapError, type Finding } from '../findings.js';
import { parseSheetFileName, type SheetFile } from './discover.js';
import { KIND_DIRS, SHEET_KINDS, type SheetKind } from './schema.js';
import { SHEET_MAX_BYTES } from '../io/index.js';

export interface GitRevision {
  /** The revision as written (`v1`, `main`, `HEAD~2`). */
  rev: string;
  /** The full commit hash it names. */
  commit: string;
  /** The repository's top folder. */
  root: string;
  /** The sheets folder relative to the repository's top, with `/` (empty when it is the top). */
  prefix: string;
}

/** A sheet file inside a revision. `file` reads `<rev>:<path in repo>` for messages. */
export interface RevisionSheetFile extends SheetFile {
  /** Path from the repository's top. */
  repoPath: string;
  /** The blob's object id. */
  blob: string;
  /** The blob's size in bytes, as `git ls-tree --long` gives it (known before a byte is read). */
  size: number;
}

/** Environment for git children: no GIT_DIR & co. inherited from a hook or another repository. */
function gitEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_PREFIX']) delete env[k];
  return env;
}

type GitResult = { ok: true; out: Buffer } | { ok: false; reason: string; missing?: boolean; tooLarge?: boolean };

/** What a git listing may print (ls-tree of a large repository): more is refused, not buffered. */
const GIT_OUTPUT_MAX_BYTES = 64 * 1024 * 1024;

function runGit(cwd: string, args: string[], maxBytes = GIT_OUTPUT_MAX_BYTES): GitResult {
  try {
    const out = execFileSync('git', args, { cwd, env: gitEnv(), stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: maxBytes });
    return { ok: true, out };
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') return { ok: false, reason: 'git is not installed (not on PATH)', missing: true };
    if (e.code === 'ENOBUFS') return { ok: false, reason: `git printed more than ${maxBytes} bytes`, tooLarge: true };
    const stderr = e.stderr?.toString('utf8').trim().split('\n')[0] ?? '';
    return { ok: false, reason: stderr || e.message };
  }
}

function realpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * The commit `rev` names in the repository that holds `sheetsDir`, or why there is none
 * (not a repository, git missing, no such revision). Runs `git rev-parse --verify <rev>^{commit}`.
 */
export function findGitRevision(sheetsDir: string, rev: string): { revision: GitRevision } | { reason: string } {
  // A revision never starts with '-' (it would be read as an option) or holds control characters.
  if (rev === '' || rev.startsWith('-') || /[\u0000-\u001f\u007f]/.test(rev)) return { reason: `${JSON.stringify(rev)} is not a revision name` };
  const top = runGit(sheetsDir, ['rev-parse', '--show-toplevel']);
  if (!top.ok) return { reason: top.missing ? top.reason : `${sheetsDir} is not inside a git repository` };
  const root = realpath(top.out.toString('utf8').trim());
  const commit = runGit(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  if (!commit.ok) return { reason: `no commit ${JSON.stringify(rev)} in the repository ${root}` };
  const prefix = path.relative(root, realpath(sheetsDir)).split(path.sep).join('/');
  return { revision: { rev, commit: commit.out.toString('utf8').trim(), root, prefix } };
}

const KIND_BY_DIR = new Map<string, SheetKind>(SHEET_KINDS.map((k) => [KIND_DIRS[k], k]));

/**
 * The sheet files of the sheets folder at a revision (`git ls-tree -r`), as `scanSheetsDir` lists
 * them in the work tree: files that do not follow `<name>@<semver>.csv` are findings.
 * A sheets folder that did not exist at that revision lists as empty.
 */
export function listSheetsAtRevision(r: GitRevision): { files: RevisionSheetFile[]; findings: Finding[] } {
  // --long adds each blob's size: a sheet blob above the work-tree limit is refused before it is read.
  const args = ['ls-tree', '-r', '-z', '--long', '--full-tree', r.commit];
  if (r.prefix) args.push('--', r.prefix);
  const listed = runGit(r.root, args);
  if (!listed.ok) throw new LabelmapError('git-failed', {}, { command: 'ls-tree', reason: listed.reason });
  const files: RevisionSheetFile[] = [];
  const findings: Finding[] = [];
  const base = r.prefix ? `${r.prefix}/` : '';
  // Each entry: `<mode> <type> <object> <size, padded with spaces>\t<path>\0`.
  for (const entry of listed.out.toString('utf8').split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [, type, blob, sizeText] = entry.slice(0, tab).split(/ +/);
    const repoPath = entry.slice(tab + 1);
    if (type !== 'blob' || !blob || !repoPath.startsWith(base)) continue;
    const rel = repoPath.slice(base.length);
    const parts = rel.split('/');
    if (parts.length !== 2) continue;
    const kind = KIND_BY_DIR.get(parts[0]!);
    const name = parts[1]!;
    if (!kind || name.startsWith('.')) continue;
    const parsed = parseSheetFileName(name);
    if (!parsed) {
      findings.push(finding('sheet-file-name', name.endsWith('.csv') ? 'error' : 'warning', { file: `${r.rev}:${repoPath}` }, { name }));
      continue;
    }
    files.push({ kind, ...parsed, rel, file: `${r.rev}:${repoPath}`, repoPath, blob, size: Number(sizeText) });
  }
  return { files, findings };
}

/**
 * The bytes of a file at a revision, at most `maxBytes` (the work-tree limit of its kind: a sheet
 * is 16 MB there and here). The size is known before the blob is read (`git ls-tree --long`, else
 * `git cat-file -s`): a larger blob is `file-too-large` naming `<rev>:<path>`, never read whole
 * (a 300 MB blob took 1.7 GB; a 700 MB one failed with `spawnSync git ENOBUFS`). The read itself
 * is bounded too, in case the object changes between the two calls.
 */
export function readFileAtRevision(r: GitRevision, file: RevisionSheetFile, maxBytes = SHEET_MAX_BYTES, what = 'sheet'): Buffer {
  let size = file.size;
  if (!Number.isSafeInteger(size) || size < 0) {
    const sized = runGit(r.root, ['cat-file', '-s', file.blob]);
    if (!sized.ok) throw new LabelmapError('git-failed', { file: file.file }, { command: 'cat-file', reason: sized.reason });
    size = Number(sized.out.toString('utf8').trim());
  }
  if (size > maxBytes) throw new LabelmapError('file-too-large', { file: file.file }, { what, size, max: maxBytes });
  const read = runGit(r.root, ['cat-file', 'blob', file.blob], maxBytes);
  if (!read.ok && read.tooLarge) throw new LabelmapError('file-too-large', { file: file.file }, { what, size: maxBytes + 1, max: maxBytes });
  if (!read.ok) throw new LabelmapError('git-failed', { file: file.file }, { command: 'cat-file', reason: read.reason });
  return read.out;
}
