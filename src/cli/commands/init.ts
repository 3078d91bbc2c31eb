import { readFileSync } from 'node:fs';
import path from 'node:path';
import { initSheetsRepo } from '../../validate/init.js';
import { embeddedSheetsDir, type Context } from '../context.js';

/**
 * The spec package.json pins labelmap at when `--labelmap` is not given: the exact version when
 * this labelmap was installed from a registry (it sits in a node_modules folder), else (a checkout)
 * the path of this checkout, which works on this machine only: init says so.
 */
function defaultSpec(packageDir: string, repoDir: string, version: string): { spec: string; local: boolean } {
  if (packageDir.split(path.sep).includes('node_modules')) return { spec: version, local: false };
  const rel = path.relative(repoDir, packageDir).split(path.sep).join('/');
  return { spec: `file:${rel === '' ? '.' : rel}`, local: true };
}

export async function run(args: (string | string[] | undefined)[], opts: Record<string, unknown>, ctx: Context): Promise<number> {
  const dir = path.resolve(ctx.cwd, typeof args[0] === 'string' ? args[0] : '.');
  const shippedSheets = embeddedSheetsDir();
  const packageDir = path.dirname(shippedSheets);
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const given = typeof opts.labelmap === 'string' ? opts.labelmap : undefined;
  const { spec, local } = given !== undefined ? { spec: given, local: false } : defaultSpec(packageDir, dir, version);
  const result = initSheetsRepo(dir, {
    empty: opts.empty === true,
    shippedSheets,
    templates: path.join(packageDir, 'templates'),
    labelmapSpec: spec,
  });
  if (ctx.json) {
    ctx.print(JSON.stringify({ format: 'labelmap-init', format_version: 1, dir, labelmap: spec, ...result }, null, 2));
    return 0;
  }
  for (const rel of result.created) ctx.print(`created ${rel}`);
  for (const rel of result.kept) ctx.warn(`kept ${rel}: it exists already (compare it with the labelmap template and merge by hand)`);
  if (result.kept.includes('package.json')) ctx.warn(`  add labelmap to its devDependencies yourself: "labelmap": ${JSON.stringify(spec)}`);
  if (opts.empty !== true && result.copied === 0) ctx.warn('this labelmap ships no sheets to copy: the sheet folders are empty');
  if (local) {
    ctx.warn(
      `package.json pins labelmap at ${spec}, this checkout: that works on this machine only. For CI, run init with --labelmap <spec>: ` +
        'a registry version, a git URL with a commit (git+https://host/org/labelmap.git#<sha>) or a tarball in the repository (file:vendor/labelmap.tgz)',
    );
  }
  const where = path.relative(ctx.cwd, dir) || '.';
  ctx.info(
    [
      '',
      `next: ${where === '.' ? '' : `cd ${where}, `}run \`npm install\` (it writes package-lock.json: commit it with package.json), edit the sheets`,
      '(npx labelmap list, npx labelmap show <sheet>), then check them with',
      '  npx labelmap validate sheets',
      'CI runs the same check with the pinned labelmap (.github/workflows/labelmap.yml); `pre-commit install` runs it before each commit.',
    ].join('\n'),
  );
  return 0;
}
