// `labelmap diff <a> [b] [--fail-on L]`: every change between two sheets, sheet sets or git
// revisions, with its level, the bump the whole change demands and whether the bumps taken cover it.
import { LabelmapError } from '../../findings.js';
import { resolveDiffSides, type DiffSide } from '../../sheets/source.js';
import { isLevel, levelAtLeast, nextVersion, type Level } from '../../versioning/bump.js';
import { describeChange, diffInputs, type Change, type SetDiff, type SheetDiff } from '../../versioning/diff.js';
import { compileSet } from '../../compile.js';
import { printableLines } from '../../text/index.js';
import type { Context } from '../context.js';

export async function run(args: (string | string[] | undefined)[], opts: Record<string, unknown>, ctx: Context): Promise<number> {
  const [a, b] = args as (string | undefined)[];
  const failOn = opts.failOn as string | undefined;
  if (failOn !== undefined && !isLevel(failOn)) throw new LabelmapError('fail-on-invalid', {}, { found: failOn });
  const sides = resolveDiffSides(String(a), b, {
    cwd: ctx.cwd,
    sheets: () => {
      const location = ctx.sheetsForRead();
      return { dir: location.dir, git: location.source !== 'embedded' };
    },
  });
  const diff = diffInputs(sides.before, sides.after, { compile: compileSet });
  const beyond = failOn !== undefined && diff.required !== null && levelAtLeast(diff.required, failOn);
  const failed = diff.enough === false || beyond;

  if (ctx.json) {
    ctx.print(JSON.stringify(diffToJson(sides.before, sides.after, diff, failOn ?? null, failed), null, 2));
  } else {
    ctx.print(printableLines(formatDiff(sides.before, sides.after, diff, ctx)));
    if (sides.before.shape === 'set' && sides.after.shape === 'set' && diff.compiled === null) {
      ctx.info(ctx.style.dim('compiled output: not compared (a side has no single taxonomy, or its sheets do not pass the merge rules); the changes above are sheet changes only'));
    }
  }
  if (beyond) ctx.error(`labelmap: changes of level ${diff.required} present, at or above --fail-on ${failOn}`);
  if (diff.enough === false) {
    const small = diff.sheets.filter((s) => s.enough === false).map((s) => s.sheet);
    ctx.error(`labelmap: the version bump is too small for ${small.join(', ')}`);
  }
  return failed ? 1 : 0;
}

function sideJson(side: DiffSide) {
  return { arg: side.arg, type: side.type, label: side.label, commit: side.shape === 'set' ? (side.revision?.commit ?? null) : null };
}

/** The documented `--json` form (docs/versioning.md). */
function diffToJson(before: DiffSide, after: DiffSide, diff: SetDiff, failOn: string | null, failed: boolean) {
  return {
    format: 'labelmap-diff',
    format_version: 1,
    before: sideJson(before),
    after: sideJson(after),
    required: diff.required,
    enough: diff.enough,
    fail_on: failOn,
    failed,
    sheets: diff.sheets.map((s) => ({
      sheet: s.sheet,
      kind: s.kind,
      name: s.name,
      before: s.before,
      after: s.after,
      required: s.required,
      actual: s.actual,
      enough: s.enough,
      suggested: suggested(s),
      changes: s.changes,
    })),
    compiled: diff.compiled,
  };
}

/** The version the after side needs when its bump is too small. */
function suggested(s: SheetDiff): string | null {
  if (s.enough !== false || s.required === null || !s.before?.version) return null;
  return nextVersion(s.before.version, s.required);
}

function formatDiff(before: DiffSide, after: DiffSide, diff: SetDiff, ctx: Context): string {
  const { style } = ctx;
  const paint = (level: Level) => (level === 'major' ? style.red : level === 'minor' ? style.yellow : style.dim);
  const line = (c: Change) => `  ${paint(c.level)(c.level.padEnd(5))}  ${describeChange(c)}`;
  const out: string[] = [style.dim(`${before.label} -> ${after.label}`)];
  let unchanged = 0;
  for (const s of diff.sheets) {
    if (s.changes.length === 0) {
      unchanged++;
      continue;
    }
    out.push('', `${style.bold(s.sheet)}  ${versionsOf(s)}${verdict(s, ctx)}`, ...s.changes.map(line));
  }
  for (const c of diff.compiled ?? []) {
    if (c.changes.length === 0) continue;
    out.push('', `${style.bold(`compiled/${c.vertical ?? 'taxonomy'}`)}  requires ${c.required}`, ...c.changes.map(line));
  }
  out.push('');
  if (unchanged > 0 && diff.sheets.length > 1) out.push(style.dim(`${unchanged} sheet${unchanged === 1 ? '' : 's'} unchanged`));
  out.push(diff.required === null ? 'no changes' : `required bump: ${paint(diff.required)(diff.required)}`);
  return out.join('\n');
}

function versionsOf(s: SheetDiff): string {
  const v = (side: SheetDiff['before']) => (side === null ? '(none)' : (side.version ?? side.file));
  if (s.before === null) return `added ${v(s.after)}`;
  if (s.after === null) return `removed ${v(s.before)}`;
  return `${v(s.before)} -> ${v(s.after)}`;
}

function verdict(s: SheetDiff, ctx: Context): string {
  if (s.before === null || s.after === null) return '';
  const head = `: requires ${s.required}`;
  if (s.actual === null || s.enough === null) return head;
  if (s.enough) return `${head}, bumped ${s.actual}: ok`;
  const step = s.actual === 'none' ? 'same version' : s.actual === 'lower' ? 'a lower version' : `bumped ${s.actual}`;
  return `${head}, ${step}: ${ctx.style.red('too small')}, needs ${suggested(s)}`;
}
