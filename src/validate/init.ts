// `labelmap init`: a team's own sheets repository.
//   <dir>/sheets/{datasets,taxonomy,mappings,verticals}/   copies of the shipped sheets (or a .gitkeep)
//   <dir>/sheets/labelmap.lock.json                         the shipped lock file, or one with no entries
//   <dir>/.github/workflows/labelmap.yml                    CI: validate with GitHub annotations
//   <dir>/.pre-commit-config.yaml                           pre-commit hook: validate before a commit
//   <dir>/.gitattributes                                    LF line ends for sheets (stable checksums)
//   <dir>/.gitignore                                        build/ and node_modules/
//   <dir>/package.json                                      labelmap pinned as a devDependency
// The CI workflow and the hook run the labelmap pinned in package.json (+ the package-lock.json
// that `npm install` writes), never `npx --yes labelmap@x`, which runs whatever is published under
// that name when CI runs.
// All four kinds are copied: merge needs dataset sheets and mappings as much as the taxonomy and
// verticals, and a team edits whichever it needs. Nothing that exists is overwritten.
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { LabelmapError } from '../findings.js';
import { existsAsNonFolder, isRunning, writeFileAtomic } from '../io/index.js';
import { KIND_DIRS, SHEET_KINDS } from '../sheets/schema.js';
import { buildLock, formatLock, LOCK_FILE } from '../versioning/lock.js';

/** The lock file of a repository with no locked versions yet. */
const EMPTY_LOCK = formatLock(buildLock([]));

/** Template file in templates/ -> where init writes it in the repository. */
export const TEMPLATES: readonly { template: string; target: string }[] = [
  { template: 'labelmap.yml', target: '.github/workflows/labelmap.yml' },
  { template: 'pre-commit-config.yaml', target: '.pre-commit-config.yaml' },
  { template: 'gitattributes', target: '.gitattributes' },
  { template: 'gitignore', target: '.gitignore' },
];

export interface InitOptions {
  /** Create the sheet folders empty instead of copying the shipped sheets. */
  empty: boolean;
  /** The sheets shipped with labelmap (copied unless `empty`). */
  shippedSheets: string;
  /** The package's templates/ folder. */
  templates: string;
  /**
   * The npm spec package.json pins labelmap at: an exact registry version (`0.1.0`), a git URL
   * with a commit (`git+https://github.com/org/labelmap.git#<sha>`) or a tarball/folder path
   * (`file:vendor/labelmap-0.1.0.tgz`): something a reviewer can audit.
   */
  labelmapSpec: string;
}

export interface InitResult {
  /** Files written, relative to the repository folder, in the order written. */
  created: string[];
  /** Files that existed and were left as they were. */
  kept: string[];
  /** Sheet files copied from the shipped sheets. */
  copied: number;
}

export function initSheetsRepo(dir: string, options: InitOptions): InitResult {
  if (existsAsNonFolder(dir)) {
    throw new LabelmapError('init-not-folder', { file: dir });
  }
  const sheets = path.join(dir, 'sheets');
  if (lstatOrNull(sheets)) throw new LabelmapError('init-exists', { file: sheets });
  const result: InitResult = { created: [], kept: [], copied: 0 };
  mkdirSync(dir, { recursive: true });
  removeStaleStaging(dir);
  // The sheets folder is built whole in a staging folder and renamed into place as the last step:
  // a run killed at any point leaves no sheets/ (validate says so, and init runs again) or a
  // complete one, never a partial set that passes validate with sheets silently missing.
  const staging = path.join(dir, `${STAGING_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(staging);
  try {
    const sheetFiles: { rel: string; content: string | Uint8Array }[] = [];
    for (const kind of SHEET_KINDS) {
      const sub = `sheets/${KIND_DIRS[kind]}`;
      const shipped = options.empty ? [] : listFiles(path.join(options.shippedSheets, KIND_DIRS[kind]));
      for (const base of shipped) {
        sheetFiles.push({ rel: `${sub}/${base}`, content: readFileSync(path.join(options.shippedSheets, KIND_DIRS[kind], base)) });
        result.copied++;
      }
      // git keeps no empty folders; the layout should survive the first commit.
      if (shipped.length === 0) sheetFiles.push({ rel: `${sub}/.gitkeep`, content: '' });
    }
    // The copied releases come with the shipped lock file, if labelmap ships one.
    const shippedLock = path.join(options.shippedSheets, LOCK_FILE);
    sheetFiles.push({ rel: `sheets/${LOCK_FILE}`, content: !options.empty && existsSync(shippedLock) ? readFileSync(shippedLock) : EMPTY_LOCK });
    for (const f of sheetFiles) writeFileAtomic(path.join(staging, f.rel), f.content, { overwrite: false });

    // The repository's other files first, each atomically and never over an existing one; the
    // sheets folder last, so that a repository with sheets/ is a complete one.
    const others: string[] = [];
    const write = (rel: string, content: string | Uint8Array) => {
      const file = path.join(dir, rel);
      if (existsSync(file)) {
        result.kept.push(rel);
        return;
      }
      writeFileAtomic(file, content, { overwrite: false });
      others.push(rel);
    };
    for (const { template, target } of TEMPLATES) write(target, readFileSync(path.join(options.templates, template), 'utf8'));
    write('package.json', packageJson(path.basename(path.resolve(dir)), options.labelmapSpec));
    try {
      renameSync(path.join(staging, 'sheets'), sheets);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Another init made sheets/ while this one ran.
      if (code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'ENOTDIR') throw new LabelmapError('init-exists', { file: sheets });
      throw error;
    }
    result.created.push(...sheetFiles.map((f) => f.rel), ...others);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return result;
}

/** `.labelmap-init-<pid>-<8 hex>`: the staging folder of an init run. */
const STAGING_PREFIX = '.labelmap-init-';
const STAGING_RE = /^\.labelmap-init-(\d+)-[0-9a-f]{8}$/;

/** Removes the staging folders of init runs that were killed (their process is gone). */
function removeStaleStaging(dir: string): void {
  for (const name of readdirSync(dir)) {
    const m = STAGING_RE.exec(name);
    if (!m || isRunning(Number(m[1]))) continue;
    rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

function lstatOrNull(p: string): Stats | null {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

/** The package.json of a sheets repository: private, labelmap pinned as a devDependency. */
export function packageJson(folder: string, labelmapSpec: string): string {
  const name = folder.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|[._-]+$/g, '') || 'label-sheets';
  const pkg = {
    name,
    private: true,
    description: 'Label control sheets checked by labelmap',
    scripts: { validate: 'labelmap validate sheets', merge: 'labelmap merge' },
    devDependencies: { labelmap: labelmapSpec },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** Every file directly in a folder (none when it does not exist), sorted. */
function listFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => !n.startsWith('.') && statSync(path.join(dir, n)).isFile()).sort();
}
