import type { Finding } from '../findings.js';
import { throwFirstError } from '../sheets/io.js';
import type { Bundle } from '../taxonomy/types.js';
import type { Context } from './context.js';

/** Prints the warnings of a compile, and stops at its first error (exit 2) saying how many there are. */
/** How many warnings a compile prints one by one before it only counts the rest. */
export const WARNINGS_SHOWN = 25;

export function requireBundle(
  result: { bundle: Bundle | null; findings: Finding[] },
  ctx: Context,
  warnings: 'each' | 'first' | 'count' = 'first',
  /** With `count`: the command that lists the warnings. */
  listedBy = '`labelmap merge` or `labelmap validate` shows them',
): Bundle {
  const warned = result.findings.filter((f) => f.severity === 'warning');
  if (warnings !== 'count') {
    const shown = warnings === 'each' ? warned : warned.slice(0, WARNINGS_SHOWN);
    for (const f of shown) ctx.report(f);
    if (shown.length < warned.length) ctx.warn(`labelmap: ... and ${warned.length - shown.length} more warnings (--all-warnings prints every one)`);
  } else {
    // Which files the run left out is about this run, not about the sheets' content: said one by one.
    const skipped = warned.filter((f) => f.code === 'sheet-file-name');
    for (const f of skipped) ctx.report(f);
    const counted = warned.length - skipped.length;
    if (counted) ctx.info(ctx.style.yellow(`labelmap: ${counted} ${skipped.length ? 'other ' : ''}warning${counted === 1 ? '' : 's'} in the sheet set (${listedBy})`));
  }
  // Every error is shown (the first last, as the one the run stops on), so that one run says
  // everything validate says about these sheets.
  const errors = result.findings.filter((f) => f.severity === 'error');
  const others = errors.slice(1);
  for (const f of warnings === 'each' ? others : others.slice(0, WARNINGS_SHOWN)) ctx.report(f);
  if (others.length > WARNINGS_SHOWN && warnings !== 'each') ctx.warn(`labelmap: ... and ${others.length - WARNINGS_SHOWN} more errors (--all-warnings prints every one)`);
  if (errors.length > 1) ctx.error(`labelmap: ${errors.length} errors in the sheet set; the first follows (\`labelmap validate\` lists them all)`);
  throwFirstError(result.findings);
  if (!result.bundle) throw new Error('compile: no bundle and no error');
  return result.bundle;
}
