// The one escaping function per target language of the exports: every string of a bundle (label,
// set, dataset and native class names, the vertical, the inputs' names, versions and files) that
// reaches generated Python, YAML, XML or a line list goes through one of these, so that data never
// becomes code or a key. Bundles arrive by download and sheets by pull request; the outputs are
// imported by training code.
import { LabelmapError } from '../findings.js';

/**
 * A double-quoted string literal that Python 3 and YAML (1.1 and 1.2) both read back exactly: the
 * output is printable ASCII only, with `\\`, `\"`, `\n`, `\r`, `\t`, `\xNN`, `\uNNNN` and
 * `\UNNNNNNNN` escapes. So no line break of either language (`\r`, U+0085, U+2028, U+2029) and no
 * quote can end it, and a lone surrogate or U+FFFE becomes an escape instead of bytes that a UTF-8
 * file cannot hold.
 */
export function pythonString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x7f) out += ch;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** YAML double-quoted scalars take the same escapes as Python's strings (YAML 1.1 §5.6, 1.2 §5.7). */
export const yamlDoubleQuoted = pythonString;

/** How long input text may be in a comment line: the rest is cut (a name is data, not prose). */
const COMMENT_TEXT_MAX = 200;

/**
 * Input text for a `#` comment line of Python or YAML: one line of printable ASCII (everything else
 * as a `\uNNNN`-style escape, as in a string literal but without the quotes), cut to
 * COMMENT_TEXT_MAX characters, and with `coding:`/`coding=` broken up so that no PEP 263
 * source-encoding cookie (`# -*- coding: utf-7 -*-`) can be formed from it.
 */
export function commentText(text: string): string {
  const cut = [...text].length > COMMENT_TEXT_MAX ? `${[...text].slice(0, COMMENT_TEXT_MAX).join('')}...` : text;
  return pythonString(cut)
    .slice(1, -1)
    .replace(/(coding)([:=])/gi, (_m, word: string, sign: string) => `${word}\\x${sign.charCodeAt(0).toString(16)}`);
}

/** Code points that XML 1.0 forbids even as character references (§2.2 Char). */
function xmlForbidden(cp: number): boolean {
  if (cp === 0x9 || cp === 0xa || cp === 0xd) return false;
  return cp < 0x20 || (cp >= 0xd800 && cp <= 0xdfff) || cp === 0xfffe || cp === 0xffff;
}

/**
 * Text for an XML attribute value in double quotes. Markup characters become entities; tab, line
 * feed and carriage return become character references (a parser would turn them into spaces in an
 * attribute), and so do U+0085 and U+2028 (line ends in XML 1.1). Characters XML cannot hold at all
 * (C0 controls, lone surrogates, U+FFFE, U+FFFF) are refused: `format` and `what` name them.
 */
export function xmlAttribute(text: string, format = 'xml', what = 'label name'): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (xmlForbidden(cp)) throw nameInvalid(format, what, text, `U+${cp.toString(16).toUpperCase().padStart(4, '0')} cannot be written in XML`);
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else if (ch === "'") out += '&apos;';
    else if (cp === 0x9 || cp === 0xa || cp === 0xd || cp === 0x85 || cp === 0x2028 || cp === 0x2029) out += `&#x${cp.toString(16)};`;
    else out += ch;
  }
  return out;
}

// Every line break of Python's str.splitlines() (which labelme and labelImg-style readers use or
// are stricter than), and the controls Python's str.strip() removes from the ends of a line.
const LINE_BREAK = /[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/u;
const STRIPPED_END = /^[\s\x1c-\x1f\x85]|[\s\x1c-\x1f\x85]$/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A name as one line of a line list (labels.txt, predefined_classes.txt): such files have no
 * escapes, so a name that would not read back as exactly one line is refused: a line break of any
 * kind, white space at either end (readers strip lines), a lone surrogate (no UTF-8 for it).
 */
export function lineListEntry(name: string, format: string, what = 'label name'): string {
  if (LINE_BREAK.test(name)) throw nameInvalid(format, what, name, 'it holds a line break, and a line list has no escape for one');
  if (STRIPPED_END.test(name)) throw nameInvalid(format, what, name, 'it starts or ends with white space, which readers strip from each line');
  if (LONE_SURROGATE.test(name)) throw nameInvalid(format, what, name, 'it holds a lone surrogate, which UTF-8 cannot encode');
  if (name === '') throw nameInvalid(format, what, name, 'an empty line is no name');
  return name;
}

/**
 * Refuses an output label whose name is a placeholder the format writes itself (labelme's
 * `__ignore__` and `_background_`, the `__unused_N__` of a gap in the train ids): the two would be
 * one class to the consumer.
 */
export function refuseReservedNames(names: readonly string[], format: string, reserved: (name: string) => boolean): void {
  for (const name of names) if (reserved(name)) throw new LabelmapError('export-name-reserved', {}, { format, name: cut(name) });
}

/** The placeholder of a train id gap (common.ts unusedName) and only that. */
export function isUnusedPlaceholder(name: string): boolean {
  return /^__unused_\d+__$/.test(name);
}

function nameInvalid(format: string, what: string, name: string, why: string): LabelmapError {
  return new LabelmapError('export-name-invalid', {}, { format, what, name: cut(name), why });
}

/** A name as shown in a message: at most 80 characters. */
function cut(name: string): string {
  const chars = [...name];
  return chars.length > 80 ? `${chars.slice(0, 80).join('')}...` : name;
}
