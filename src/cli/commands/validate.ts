import path from 'node:path';
import { EXIT, LabelmapError, type Finding } from '../../findings.js';
import { countFindings, REPORT_FORMATS, REPORTERS, summaryLine, type ReportFormat } from '../../validate/reporters.js';
import { validateSheets } from '../../validate/run.js';
import type { Context } from '../context.js';

export async function run(args: (string | string[] | undefined)[], opts: Record<string, unknown>, ctx: Context): Promise<number> {
  const format = (ctx.json ? 'json' : String(opts.format ?? 'text')) as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new LabelmapError('report-format-unknown', {}, { format, known: REPORT_FORMATS });
  const given = typeof args[0] === 'string' ? args[0] : undefined;
  const dir = given !== undefined ? path.resolve(ctx.cwd, given) : ctx.sheetsForRead().dir;
  const result = validateSheets(dir, undefined, toSlash(path.relative(ctx.cwd, dir) || '.'));

  // Findings name files relative to the sheets folder; print them relative to where the user
  // stands, so that editors can open them and GitHub can place the annotations.
  const shown = (rel: string) => toSlash(path.relative(ctx.cwd, path.join(dir, rel)) || rel);
  const findings: Finding[] = result.findings.map((f) => (f.file !== undefined ? { ...f, file: shown(f.file) } : f));
  const report = { sheets: toSlash(path.relative(ctx.cwd, dir) || '.'), files: result.files.length, findings };

  const out = REPORTERS[format].render(report, ctx.style);
  if (out !== '') ctx.print(out);
  if (format !== 'json') ctx.info(summaryLine(report));

  const { errors, warnings } = countFindings(findings);
  return errors > 0 || (opts.strict === true && warnings > 0) ? EXIT.findings : EXIT.ok;
}

const toSlash = (p: string) => p.split(path.sep).join('/');
