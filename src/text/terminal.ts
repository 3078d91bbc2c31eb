// Text from data on its way to a terminal or a CI log. Pure.
//
// A class name, a file name or a ref comes from a sheet, a dataset download or the command line;
// printed raw, its control characters act instead of showing: ESC starts CSI/OSC sequences (OSC 0
// sets the window title, OSC 52 writes the clipboard, CSI can move the cursor and overwrite lines
// above), CR and backspace rewrite what was printed, LF forges a line (`::error` in a GitHub
// log), and the bidirectional overrides reorder what is shown (Trojan Source). `printable` shows
// each of them as a visible escape instead; `cutLong` keeps a 100,000-character input from filling
// the screen. The table printer (cli/table.ts) and the findings' wording (findings.ts) use both.

/**
 * C0 controls (tab, LF and CR included), DEL, C1 controls (U+0080..U+009F: 8-bit CSI is U+009B),
 * the bidirectional marks, embeddings, overrides and isolates, the BOM / zero-width no-break
 * space, and lone surrogates (a terminal shows them as nothing or garbage).
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r', '\b': '\\b' };

/**
 * `text` with every character a terminal would act on shown as an escape: `\n`, `\r`, `\t`, `\b`,
 * `\x1b`, `\x9b`, `\u202e`. Printable text (any script, emoji) is unchanged, and so is text
 * already passed through (a backslash is printable): applying it twice changes nothing.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (ch) => {
    const named = NAMED[ch];
    if (named) return named;
    const code = ch.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** The most characters of one input string a message shows (a sheet name, a ref, a class name). */
export const MESSAGE_TEXT_MOST = 300;

/**
 * `text` cut to its first `most` characters plus `… (100000 characters)` when longer; never
 * between the two halves of a surrogate pair.
 */
export function cutLong(text: string, most = MESSAGE_TEXT_MOST): string {
  if (text.length <= most) return text;
  let end = most;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}… (${text.length} characters)`;
}

/** Both: a string from data as a message or a table shows it. */
export function shownText(text: string, most = MESSAGE_TEXT_MOST): string {
  return printable(cutLong(text, most));
}

/** The colour sequences labelmap's own styles write (SGR: `ESC [ 1 m`, `ESC [ 2 2 m`), which only colour. */
const SGR = /\u001b\[[0-9;]*m/g;

/**
 * A whole human-readable message, already composed and perhaps coloured: its lines and its colour
 * (SGR) sequences stay, every other unprintable character is shown as an escape. For the lines a
 * command prints on stderr (info, warnings) and its text reports (diff, find, suggest), where a
 * piece of data may have been put in without `printable`.
 */
export function printableLines(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(SGR)) {
    out += printableKeepingNewlines(text.slice(last, m.index));
    out += m[0];
    last = m.index + m[0].length;
  }
  return out + printableKeepingNewlines(text.slice(last));
}

/** printable, except that line feeds stay (a message of several lines). */
export function printableKeepingNewlines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}
