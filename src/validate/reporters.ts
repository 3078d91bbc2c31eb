// The reporters of `labelmap validate`: one table, one function per --format. Every reporter
// words findings through src/findings.ts (formatFinding, findingToJson, messageOf, fixOf).
import { findingToJson, fixOf, formatFinding, messageOf, type Finding, type FindingStyle } from '../findings.js';
import { plural } from '../text/index.js';

export type ReportFormat = 'text' | 'json' | 'github';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'github'];

export interface ValidateReport {
  /** The sheets folder as the user named it. */
  sheets: string;
  /** How many sheet files were found. */
  files: number;
  /** Sorted findings; `file` as it should be printed (relative to the current folder). */
  findings: Finding[];
}

export interface Counts {
  errors: number;
  warnings: number;
}

export function countFindings(findings: readonly Finding[]): Counts {
  let errors = 0;
  for (const f of findings) if (f.severity === 'error') errors++;
  return { errors, warnings: findings.length - errors };
}

/** `2 errors, 1 warning in 14 sheet files (sheets)` */
export function summaryLine(report: ValidateReport): string {
  const { errors, warnings } = countFindings(report.findings);
  const what = errors + warnings === 0 ? 'no findings' : `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  return `labelmap validate: ${what} in ${plural(report.files, 'sheet file')} (${report.sheets})`;
}

export interface Reporter {
  /** What goes to stdout: the findings (and nothing else for json). */
  render(report: ValidateReport, style?: FindingStyle): string;
}

/**
 * GitHub Actions workflow commands (https://docs.github.com/actions/reference/workflow-commands):
 * in the message `%`, CR and LF are escaped; in a property also `:` and `,`, which separate them.
 */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error file=sheets/x.csv,line=3,col=2,title=labelmap cell-invalid::message%0Afix: ...` */
export function githubAnnotation(f: Finding): string {
  const props: string[] = [];
  if (f.file !== undefined) props.push(`file=${escapeProperty(f.file)}`);
  if (f.line !== undefined) props.push(`line=${f.line}`);
  if (f.column !== undefined) props.push(`col=${f.column}`);
  props.push(`title=${escapeProperty(`labelmap ${f.code}`)}`);
  const fix = fixOf(f);
  const body = fix ? `${messageOf(f)}\nfix: ${fix}` : messageOf(f);
  return `::${f.severity} ${props.join(',')}::${escapeData(body)}`;
}

export const REPORTERS: Record<ReportFormat, Reporter> = {
  text: {
    render: (report, style) => report.findings.map((f) => formatFinding(f, style)).join('\n'),
  },
  json: {
    // Documented in docs/validate.md; format_version changes when a field does.
    render: (report) => {
      const counts = countFindings(report.findings);
      return JSON.stringify(
        {
          format: 'labelmap-validate',
          format_version: 1,
          sheets: report.sheets,
          files: report.files,
          errors: counts.errors,
          warnings: counts.warnings,
          findings: report.findings.map(findingToJson),
        },
        null,
        2,
      );
    },
  },
  github: {
    render: (report) => report.findings.map(githubAnnotation).join('\n'),
  },
};
