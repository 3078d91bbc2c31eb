// `labelmap bump <ref> [major|minor|patch]`: starts the next version of a sheet as a byte-for-byte
// copy of the latest one, to edit. Never overwrites: a version that exists is refused.
import path from 'node:path';
import { LabelmapError } from '../../findings.js';
import { refuseSheetFolderOutside, writeFileAtomic } from '../../io/index.js';
import { readSheetBytes } from '../../sheets/io.js';
import { resolveRef, scanSheetsDir, sheetRelPath, versionsOf } from '../../sheets/discover.js';
import { KIND_DIRS } from '../../sheets/schema.js';
import { isLevel, nextVersion } from '../../versioning/bump.js';
import type { Context } from '../context.js';

export async function run(args: (string | string[] | undefined)[], _opts: unknown, ctx: Context): Promise<number> {
  const [ref, levelArg] = args as (string | undefined)[];
  const level = levelArg ?? 'patch';
  if (level === 'auto') {
    throw new LabelmapError('bump-level-auto', {}, { ref });
  }
  if (!isLevel(level)) throw new LabelmapError('bump-level-invalid', {}, { found: level, ref });
  const { dir } = ctx.sheetsForWrite();
  const files = scanSheetsDir(dir).files;
  const from = resolveRef(files, String(ref));
  const latest = versionsOf(files, from.kind, from.name).at(-1)!;
  if (latest.version !== from.version) {
    throw new LabelmapError('bump-not-latest', { file: from.rel }, {
      ref: `${KIND_DIRS[from.kind]}/${from.name}@${from.version}`,
      latest: latest.version,
      name: `${KIND_DIRS[from.kind]}/${from.name}`,
      level,
    });
  }
  // `bump mappings/coco minor` twice must not leave identical 1.1.0 and 1.2.0 for release to lock.
  const before = versionsOf(files, from.kind, from.name).at(-2);
  const content = readSheetBytes(from);
  if (before && content.equals(readSheetBytes(before))) {
    throw new LabelmapError('bump-unedited', { file: from.rel }, { ref: `${KIND_DIRS[from.kind]}/${from.name}`, version: from.version, previous: before.version, file: from.rel });
  }
  const version = nextVersion(from.version, level);
  const rel = sheetRelPath(from.kind, from.name, version);
  const file = path.join(dir, rel);
  refuseSheetFolderOutside(dir, file, rel);
  writeFileAtomic(file, content, { overwrite: false });
  const shown = path.relative(ctx.cwd, file) || file;
  if (ctx.json) {
    ctx.print(JSON.stringify({ format: 'labelmap-bump', format_version: 1, kind: from.kind, name: from.name, from: from.version, to: version, level, file: rel, path: shown }, null, 2));
  } else {
    ctx.print(shown);
    ctx.info(
      ctx.style.dim(
        `started ${KIND_DIRS[from.kind]}/${from.name} ${version} (${level}) as a copy of ${from.version}: edit it; \`labelmap release\` checks that ${level} covers the change`,
      ),
    );
  }
  return 0;
}

