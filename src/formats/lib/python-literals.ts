// A reader of Python files that define rows as a namedtuple and calls of it, as some datasets
// publish their label tables (see cityscapes.ts, apolloscape.ts). The file is read as text and never
// run; this module knows Python, not any dataset. The shape it looks for:
//
//   Label = namedtuple( 'Label' , [
//       'name'        , # the first field ...
//       'id'          ,
//       ...
//       ] )
//   labels = [
//       #       name             id    flag     colour
//       Label(  'unlabeled'    ,  0 ,  True  , (  0,  0,  0) ),
//   #   Label(  'commented out', 99 ,  ...
//       Label('x', 0xA1, False, 0x00008E ),
//   ]
//
// Every `Label(...)` call whose arguments are literals is a row (strings, ints in any base, floats,
// True/False/None, tuples and lists of those; keyword arguments by field name). Comments, commented
// rows, alignment, tabs, trailing commas and the code around the list (lookup dicts, functions,
// a main) are passed over. The namedtuple's field list names the values; without one, the caller's
// known layouts are tried by the number of values.
import { LabelmapError, type Place } from '../../findings.js';
import { readBytes } from '../../io/index.js';
import { decodeUtf8 } from '../../sheets/csv.js';

export type PyValue = string | number | boolean | null | PyValue[];

export interface PyLabelRow {
  line: number;
  column: number;
  args: PyValue[];
  kwargs: Record<string, PyValue>;
}

export interface PythonLabels {
  /** The namedtuple's type name (`Label`): the name of the calls that are rows. */
  tupleName: string;
  /** The namedtuple's field list as written, or null when the file has none. */
  fields: string[] | null;
  /** Line of the field list. */
  fieldsLine?: number;
  /** How many trailing fields have defaults (`namedtuple(..., defaults=(...))`). */
  defaults: number;
  rows: PyLabelRow[];
}

/** One row with every value named by its field. */
export interface LabelRecord {
  line: number;
  column: number;
  values: Map<string, PyValue>;
}

// --- tokens -------------------------------------------------------------------------------------

type TokenKind = 'name' | 'number' | 'string' | 'op' | 'eof';

interface Token {
  kind: TokenKind;
  text: string;
  /** The decoded value of a string or number token. */
  value?: string | number;
  line: number;
  column: number;
}

const TWO_CHAR_OPS = new Set(['==', '!=', '<=', '>=', '**', '//', '->', ':=', '<<', '>>', '+=', '-=', '*=', '/=']);
const NAME_START = /[\p{L}\p{Nl}_]/u;
const NAME_PART = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]/u;
const STRING_START = /^([rRbBuUfF]{0,2})('''|"""|'|")/;
const NUMBER_RE = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:[eE][+-]?\d+)?)[lL]?[jJ]?/;

class Tokenizer {
  private i = 0;
  private line = 1;
  private lineStart = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  all(): Token[] {
    const out: Token[] = [];
    for (;;) {
      const t = this.next();
      out.push(t);
      if (t.kind === 'eof') return out;
    }
  }

  private place(at = this.i): Place {
    return { file: this.file, line: this.line, column: at - this.lineStart + 1 };
  }

  private newline(at: number): void {
    this.line++;
    this.lineStart = at + 1;
  }

  private next(): Token {
    const { text } = this;
    for (;;) {
      const c = text[this.i];
      if (c === undefined) return { kind: 'eof', text: '', line: this.line, column: this.i - this.lineStart + 1 };
      if (c === '\n') {
        this.newline(this.i);
        this.i++;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\ufeff') {
        this.i++;
      } else if (c === '\\' && (text[this.i + 1] === '\n' || (text[this.i + 1] === '\r' && text[this.i + 2] === '\n'))) {
        this.i += text[this.i + 1] === '\r' ? 2 : 1;
      } else if (c === '#') {
        while (this.i < text.length && text[this.i] !== '\n') this.i++;
      } else break;
    }
    const start = this.i;
    const line = this.line;
    const column = start - this.lineStart + 1;
    const rest = text.slice(start, start + 8);
    const str = STRING_START.exec(rest);
    if (str) return this.string(str[1]!, str[2]!, line, column);
    const c = text[start]!;
    if (/\d/.test(c) || (c === '.' && /\d/.test(text[start + 1] ?? ''))) {
      const m = NUMBER_RE.exec(text.slice(start, start + 64))!;
      this.i += m[0].length;
      return { kind: 'number', text: m[0], value: this.numberValue(m[0], line, column), line, column };
    }
    if (NAME_START.test(c)) {
      let j = start + 1;
      while (j < text.length && NAME_PART.test(text[j]!)) j++;
      this.i = j;
      return { kind: 'name', text: text.slice(start, j), line, column };
    }
    const two = text.slice(start, start + 2);
    const op = TWO_CHAR_OPS.has(two) ? two : c;
    this.i += op.length;
    return { kind: 'op', text: op, line, column };
  }

  private numberValue(raw: string, line: number, column: number): number {
    const place = { file: this.file, line, column };
    const t = raw.replace(/_/g, '').replace(/[lL]$/, '');
    if (/[jJ]$/.test(t)) throw syntaxError(place, 'a real number', raw);
    let v: number;
    if (/^0[xX]/.test(t)) v = parseInt(t.slice(2), 16);
    else if (/^0[oO]/.test(t)) v = parseInt(t.slice(2), 8);
    else if (/^0[bB]/.test(t)) v = parseInt(t.slice(2), 2);
    else if (/^0\d+$/.test(t) && /[1-9]/.test(t)) {
      // `010` is 8 in Python 2 and a syntax error in Python 3: an id must not depend on which.
      throw syntaxError(place, 'a decimal number without leading zeros (or 0x.., 0o..)', raw);
    } else v = Number(t);
    if (!Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v))) {
      throw syntaxError(place, 'a number of at most 15 digits', raw);
    }
    return v;
  }

  private string(prefix: string, quote: string, line: number, column: number): Token {
    const { text } = this;
    const start = this.i;
    const raw = /[rR]/.test(prefix);
    let j = start + prefix.length + quote.length;
    let out = '';
    for (;;) {
      const c = text[j];
      if (c === undefined || (quote.length === 1 && c === '\n')) {
        throw syntaxError({ file: this.file, line, column }, `a closing ${quote}`, c === undefined ? 'the end of the file' : 'the end of the line');
      }
      if (text.startsWith(quote, j)) {
        j += quote.length;
        break;
      }
      if (c === '\n') this.newline(j);
      if (c === '\\') {
        const d = text[j + 1];
        if (d === undefined) {
          throw syntaxError({ file: this.file, line, column }, `a closing ${quote}`, 'the end of the file');
        }
        if (raw) {
          out += c + d;
          if (d === '\n') this.newline(j + 1);
          j += 2;
          continue;
        }
        const decoded = decodeEscape(text, j);
        if (d === '\n') this.newline(j + 1);
        else if (d === '\r' && text[j + 2] === '\n') this.newline(j + 2);
        out += decoded.text;
        j += decoded.length;
        continue;
      }
      out += c;
      j++;
    }
    this.i = j;
    return { kind: 'string', text: text.slice(start, j), value: out, line, column };
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\n': '',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** A backslash escape at text[at] (the backslash): its text and how many characters it takes. */
function decodeEscape(text: string, at: number): { text: string; length: number } {
  const d = text[at + 1]!;
  if (d === '\r') return { text: '', length: text[at + 2] === '\n' ? 3 : 2 };
  if (d in SIMPLE_ESCAPES) return { text: SIMPLE_ESCAPES[d]!, length: 2 };
  const hex = (n: number) => {
    const h = text.slice(at + 2, at + 2 + n);
    return new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h) ? { text: String.fromCodePoint(parseInt(h, 16)), length: 2 + n } : null;
  };
  if (d === 'x') return hex(2) ?? { text: '\\x', length: 2 };
  if (d === 'u') return hex(4) ?? { text: '\\u', length: 2 };
  if (d === 'U') return hex(8) ?? { text: '\\U', length: 2 };
  const oct = /^[0-7]{1,3}/.exec(text.slice(at + 1, at + 4));
  if (oct) return { text: String.fromCharCode(parseInt(oct[0], 8)), length: 1 + oct[0].length };
  // Python keeps an unknown escape as written.
  return { text: `\\${d}`, length: 2 };
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end of the file';
  if (t.kind === 'name') return `the name ${t.text}`;
  return t.text.length > 40 ? `${t.text.slice(0, 40)}...` : t.text;
}

function syntaxError(place: Place, expected: string, found: string): LabelmapError {
  return new LabelmapError('python-labels-syntax', place, { expected, found });
}

// --- literals -----------------------------------------------------------------------------------

const MAX_LITERAL_DEPTH = 32;

class LiteralParser {
  pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
  ) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  take(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  isOp(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'op' && t.text === text;
  }

  expectOp(text: string, what: string): void {
    const t = this.peek();
    if (!this.isOp(text)) throw syntaxError(this.at(t), what, describe(t));
    this.pos++;
  }

  at(t: Token): Place {
    return { file: this.file, line: t.line, column: t.column };
  }

  /** A literal value: string(s), signed number, True/False/None, tuple or list of literals. */
  value(depth = 0): PyValue {
    const t = this.peek();
    // A label value nests two levels at most ((r, g, b) in a row); deep nesting would overflow the stack.
    if (depth > MAX_LITERAL_DEPTH) throw syntaxError(this.at(t), `a literal nested at most ${MAX_LITERAL_DEPTH} levels deep`, 'deeper nesting');
    if (t.kind === 'string') {
      let s = '';
      while (this.peek().kind === 'string') s += this.take().value as string;
      return s;
    }
    if (t.kind === 'number') return this.take().value as number;
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      this.take();
      const v = this.value(depth + 1);
      if (typeof v !== 'number') throw syntaxError(this.at(t), 'a number after the sign', String(v));
      return t.text === '-' ? -v : v;
    }
    if (t.kind === 'name' && (t.text === 'True' || t.text === 'False' || t.text === 'None')) {
      this.take();
      return t.text === 'None' ? null : t.text === 'True';
    }
    if (t.kind === 'op' && (t.text === '(' || t.text === '[')) {
      const close = t.text === '(' ? ')' : ']';
      this.take();
      const items: PyValue[] = [];
      let comma = false;
      while (!this.isOp(close)) {
        items.push(this.value(depth + 1));
        if (this.isOp(',')) {
          this.take();
          comma = true;
        } else if (!this.isOp(close)) {
          throw syntaxError(this.at(this.peek()), `a comma or ${close}`, describe(this.peek()));
        }
      }
      this.take();
      // `(5)` is 5 in Python, `(5,)` a tuple.
      return close === ')' && items.length === 1 && !comma ? items[0]! : items;
    }
    throw syntaxError(this.at(t), 'a literal value (a quoted string, a number, True, False, None or a tuple)', describe(t));
  }

  /** Arguments of a call whose `(` was taken: positional values and keyword values. */
  callArgs(): { args: PyValue[]; kwargs: Record<string, PyValue> } {
    const args: PyValue[] = [];
    // Keyword names are data (`Label(__proto__=...)` is valid Python): no prototype to set or read through.
    const kwargs = Object.create(null) as Record<string, PyValue>;
    while (!this.isOp(')')) {
      const t = this.peek();
      if (t.kind === 'name' && this.isOp('=', 1)) {
        this.pos += 2;
        kwargs[t.text] = this.value();
      } else {
        if (Object.keys(kwargs).length) throw syntaxError(this.at(t), 'a keyword argument (a positional value cannot follow one)', describe(t));
        args.push(this.value());
      }
      if (this.isOp(',')) this.take();
      else if (!this.isOp(')')) throw syntaxError(this.at(this.peek()), 'a comma or )', describe(this.peek()));
    }
    this.take();
    return { args, kwargs };
  }
}

// --- the file -----------------------------------------------------------------------------------

/** Decodes a Python source file as UTF-8 (what Python 3 assumes, and what every published label file is). */
export function decodePythonSource(bytes: Uint8Array, file: string): string {
  const { text, findings } = decodeUtf8(bytes, file);
  const bad = findings[0];
  if (bad) throw new LabelmapError('python-labels-encoding', { file, line: bad.line }, { byte: bad.args.byte, offset: bad.args.offset });
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Published label files are about 10 kB; the tokens of a larger file would take ~50 times its size in memory. */
export const LABEL_FILE_MAX_BYTES = 4 * 1024 * 1024;

export function readPythonLabelsFile(file: string): PythonLabels {
  return parsePythonLabels(decodePythonSource(readBytes(file, 'label file', LABEL_FILE_MAX_BYTES), file), file);
}

/**
 * Finds the namedtuple definition and every `<TupleName>(...)` row in a Python label file.
 * Throws `python-labels-syntax` at the first row that is not a literal call, and
 * `python-labels-none` when there are no rows.
 */
export function parsePythonLabels(text: string, file: string): PythonLabels {
  const tokens = new Tokenizer(text, file).all();
  checkClosed(tokens, file);
  const p = new LiteralParser(tokens, file);
  const tuples = findNamedTuples(tokens, p);
  const callsOf = (name: string) =>
    tokens.filter(
      (t, i) =>
        t.kind === 'name' &&
        t.text === name &&
        tokens[i + 1]?.kind === 'op' &&
        tokens[i + 1]?.text === '(' &&
        !(tokens[i - 1]?.kind === 'name' && (tokens[i - 1]?.text === 'def' || tokens[i - 1]?.text === 'class')),
    ).length;
  // The tuple type `Label` when the file defines it; otherwise the defined type with the most rows.
  const chosen =
    tuples.find((t) => t.name === 'Label') ?? [...tuples].sort((a, b) => callsOf(b.name) - callsOf(a.name))[0];
  const tupleName = chosen?.name ?? 'Label';
  const rows: PyLabelRow[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const before = tokens[i - 1];
    if (t.kind !== 'name' || t.text !== tupleName) continue;
    if (before?.kind === 'name' && (before.text === 'def' || before.text === 'class')) continue;
    if (!(tokens[i + 1]?.kind === 'op' && tokens[i + 1]?.text === '(')) continue;
    p.pos = i + 2;
    const { args, kwargs } = p.callArgs();
    rows.push({ line: t.line, column: t.column, args, kwargs });
    i = p.pos - 1;
  }
  if (rows.length === 0) {
    throw new LabelmapError('python-labels-none', { file }, {
      tuple: tupleName,
      found: chosen ? `a namedtuple ${chosen.name} on line ${chosen.line} but no rows` : 'no namedtuple and no Label(...) rows',
    });
  }
  return {
    tupleName,
    fields: chosen?.fields ?? null,
    fieldsLine: chosen?.line,
    defaults: chosen?.defaults ?? 0,
    rows,
  };
}

const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/**
 * A file that ends inside an open bracket is cut short (a truncated download): Python would not
 * run it, and the rows after the cut would be missing from the sheet without a word.
 */
function checkClosed(tokens: readonly Token[], file: string): void {
  const open: Token[] = [];
  for (const t of tokens) {
    if (t.kind !== 'op') continue;
    if (t.text in CLOSING) open.push(t);
    else if (open.length && t.text === CLOSING[open[open.length - 1]!.text]) open.pop();
  }
  const outer = open[0];
  if (!outer) return;
  const end = tokens[tokens.length - 1]!;
  throw syntaxError({ file, line: end.line, column: end.column }, `a closing ${CLOSING[outer.text]} for the ${outer.text} on line ${outer.line}`, 'the end of the file (is it cut short?)');
}

interface NamedTupleDef {
  name: string;
  fields: string[];
  defaults: number;
  line: number;
}

/**
 * `Label = namedtuple( 'Label' , [ 'name', 'id', ... ] )`, also `collections.namedtuple`,
 * a field string (`'name id trainId'`) and `defaults=(...)`.
 */
function findNamedTuples(tokens: Token[], p: LiteralParser): NamedTupleDef[] {
  const out: NamedTupleDef[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'name' || t.text !== 'namedtuple') continue;
    if (!(tokens[i + 1]?.kind === 'op' && tokens[i + 1]?.text === '(')) continue;
    p.pos = i + 2;
    let call: { args: PyValue[]; kwargs: Record<string, PyValue> };
    try {
      call = p.callArgs();
    } catch {
      continue; // a namedtuple built from variables: not a field list we can read
    }
    const [typeName, spec] = call.args;
    const fieldSpec = spec ?? call.kwargs.field_names ?? call.kwargs.fields;
    if (typeof typeName !== 'string') continue;
    let fields: string[] | null = null;
    if (typeof fieldSpec === 'string') fields = fieldSpec.split(/[\s,]+/).filter(Boolean);
    else if (Array.isArray(fieldSpec)) {
      fields = fieldSpec.filter((f): f is string => typeof f === 'string');
      if (fields.length !== fieldSpec.length) fields = null;
    }
    if (!fields) continue;
    const defaults = Array.isArray(call.kwargs.defaults) ? call.kwargs.defaults.length : 0;
    out.push({ name: typeName, fields, defaults, line: t.line });
  }
  return out;
}

// --- rows -> named values -----------------------------------------------------------------------

/** A layout a caller knows, used when the file has no field list. */
export interface KnownLayout {
  /** Who publishes it, for notes and errors (`Cityscapes`). */
  title: string;
  fields: readonly string[];
}

/**
 * Names every value of every row. With the file's field list, positional values take its names
 * (a row must have as many values, less defaults); without one, the known layout with the same
 * number of values is used.
 */
export function nameLabelValues(
  labels: PythonLabels,
  file: string,
  layouts: readonly KnownLayout[],
): { fields: string[]; records: LabelRecord[]; layout?: KnownLayout } {
  let fields = labels.fields;
  let layout: KnownLayout | undefined;
  if (!fields) {
    const first = labels.rows[0]!;
    const arity = first.args.length + Object.keys(first.kwargs).length;
    layout = layouts.find((l) => l.fields.length === arity);
    if (!layout) {
      throw new LabelmapError('python-labels-layout', { file, line: first.line, column: first.column }, {
        tuple: labels.tupleName,
        found: arity,
        known: layouts.map((l) => `${l.fields.length} (${l.title}: ${l.fields.join(', ')})`).join('; '),
      });
    }
    fields = [...layout.fields];
  }
  const records: LabelRecord[] = labels.rows.map((row) => {
    const place = { file, line: row.line, column: row.column };
    const min = fields.length - labels.defaults;
    const given = row.args.length + Object.keys(row.kwargs).length;
    if (row.args.length > fields.length || given < min) {
      throw new LabelmapError('python-labels-arity', place, {
        found: given,
        expected: labels.defaults ? `${min} to ${fields.length}` : fields.length,
        fields: fields.join(', '),
        source: labels.fieldsLine ? `the field list on line ${labels.fieldsLine}` : `the ${layout?.title} layout`,
      });
    }
    const values = new Map<string, PyValue>();
    row.args.forEach((v, k) => values.set(fields[k]!, v));
    for (const [k, v] of Object.entries(row.kwargs)) {
      if (!fields.includes(k)) {
        throw new LabelmapError('python-labels-arity', place, {
          found: `a keyword ${k}=`,
          expected: `one of the fields`,
          fields: fields.join(', '),
          source: labels.fieldsLine ? `the field list on line ${labels.fieldsLine}` : `the ${layout?.title} layout`,
        });
      }
      values.set(k, v);
    }
    return { line: row.line, column: row.column, values };
  });
  return { fields, records, layout };
}
