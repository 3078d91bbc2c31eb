import { printable } from '../text/index.js';
import type { Styles } from './context.js';

/** Display width: CJK and other wide characters take two columns. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
}

function charWidth(ch: string): number {
  const cp = ch.codePointAt(0)!;
  return cp >= 0x1100 && (cp <= 0x115f || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6)) ? 2 : 1;
}

/** `text` cut to at most `width` display columns, with an ellipsis where it was cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let w = 0;
  for (const ch of text) {
    const cw = charWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

const GAP = 2;
/** A column is never cut below this (or its header's width, if smaller). */
const MIN_COLUMN = 8;

/**
 * Column widths that fit `maxWidth`: the natural widths, with the widest columns narrowed one
 * step at a time until the table fits (or every column is at its minimum).
 */
export function fitWidths(natural: readonly number[], maxWidth: number): number[] {
  const widths = [...natural];
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP * Math.max(0, widths.length - 1);
  const floor = natural.map((w) => Math.min(w, MIN_COLUMN));
  while (total() > maxWidth) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) if (widths[i]! > floor[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    if (widest < 0) break;
    widths[widest]!--;
  }
  return widths;
}

/**
 * An aligned plain-text table with a bold header. With `maxWidth` (the terminal's width), long
 * cells are cut with an ellipsis so that each row fits one line; without it, cells are whole.
 */
export function formatColumns(header: readonly string[], rows: readonly (readonly string[])[], style: Styles, options: { maxWidth?: number | null } = {}): string {
  // Cells come from data: control characters are shown as escapes, never sent to the terminal.
  header = header.map(printable);
  rows = rows.map((r) => r.map(printable));
  const natural = header.map((h, i) => {
    let w = displayWidth(h);
    for (const r of rows) w = Math.max(w, displayWidth(r[i] ?? ''));
    return w;
  });
  const widths = options.maxWidth ? fitWidths(natural, options.maxWidth) : natural;
  const line = (cells: readonly string[]) =>
    cells
      .map((raw, i) => {
        const c = truncate(raw, widths[i]!);
        return i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - displayWidth(c));
      })
      .join(' '.repeat(GAP))
      .trimEnd();
  return [style.bold(line(header)), ...rows.map(line)].join('\n');
}
