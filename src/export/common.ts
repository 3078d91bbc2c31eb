// What several export formats share: the header with the bundle's inputs, label slots by train id,
// colours, and the quoting of names for Python, YAML, XML and JSON.
import { LabelmapError } from '../findings.js';
import type { Bundle, LabelSetDef, OutputLabel } from '../taxonomy/types.js';
import { commentText, pythonString as quoted } from './escape.js';

/** `[r, g, b]` of `#rrggbb`. */
export function rgb(color: string): [number, number, number] {
  const n = Number.parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** The name given to a train id that no label has (train ids with gaps), where a format needs every index. */
export function unusedName(trainId: number): string {
  return `__unused_${trainId}__`;
}

/**
 * The labels by train id, 0..highest: formats whose class index is a list position (YOLO, Hugging
 * Face, mmseg, labelImg) need a name at every index, so a train id that no label has (a vertical
 * with fixed train ids, or the unified taxonomy after a class was removed) is null here.
 */
export function labelSlots(bundle: Bundle): (OutputLabel | null)[] {
  const slots: (OutputLabel | null)[] = new Array<OutputLabel | null>((bundle.labels.at(-1)?.train_id ?? -1) + 1).fill(null);
  for (const label of bundle.labels) slots[label.train_id] = label;
  return slots;
}

/** The name at each train id, with unusedName() in the gaps. */
export function slotNames(bundle: Bundle): string[] {
  return labelSlots(bundle).map((l, i) => l?.name ?? unusedName(i));
}

/**
 * The labels a detector or an instance head learns: the things (is_thing true), in train-id
 * order. Stuff (road, vegetation, sky) has no instances to box or count.
 */
export function thingLabels(bundle: Bundle): OutputLabel[] {
  return bundle.labels.filter((l) => l.is_thing);
}

/**
 * The COCO category id of an output label: train id + 1. COCO ids start at 1, and torchvision's
 * detection models and most COCO converters read category 0 as background, so train id 0 (road)
 * must not be category 0.
 */
export function cocoCategoryId(label: OutputLabel): number {
  return label.train_id + 1;
}

/** The "no thing label" error of the detection exports (mmdet, yolo), with what to use instead. */
export function noThingsError(bundle: Bundle, format: string): LabelmapError {
  return new LabelmapError('export-empty', {}, {
    format,
    what: 'thing label (is_thing true)',
    set: bundle.vertical === null ? 'the unified taxonomy' : `the vertical "${bundle.vertical}"`,
    fix: 'a detector needs countable classes; for segmentation use --format mmseg',
  });
}

/** The label sets of a bundle, by id: a LUT value that stands for "one of these labels". */
export function labelSets(bundle: Bundle): readonly LabelSetDef[] {
  return bundle.label_sets;
}

/** `("a",)`, `("a", "b")`, `()`: a Python tuple of already-rendered items. */
export function pyTuple(items: readonly string[]): string {
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/** The label sets as Python dict entries `id: ("name", "kind", (member train ids))`, one per set. */
export function pythonLabelSetEntries(bundle: Bundle): [key: string, value: string][] {
  return labelSets(bundle).map((set) => [String(set.id), `(${quoted(set.name)}, ${quoted(set.kind)}, ${pyTuple(set.member_ids.map(String))})`]);
}

/**
 * The lines of a header comment: what this is and the exact inputs (without the comment marker).
 * Every input string is sanitised (commentText): one line of printable ASCII in which no
 * source-encoding cookie can form (Python reads one from line 1 or 2): names are data, never syntax.
 */
export function headerLines(bundle: Bundle, format: string): string[] {
  const set = bundle.vertical === null ? 'the unified taxonomy' : `the vertical "${commentText(bundle.vertical)}"`;
  const rows = bundle.inputs.map((i) => [i.kind, i.name, i.version, i.file].map(commentText));
  const width = (column: number) => rows.reduce((max, row) => Math.max(max, row[column]!.length), 0);
  return [
    `Output labels of ${set}: ${bundle.labels.length} labels, ${bundle.id_bits}-bit train ids, ignore = ${bundle.ignore_id}.`,
    `Written by \`labelmap export --format ${format}\` from a labelmap.json bundle: do not edit; change the sheets and export again.`,
    'Inputs (kind, name, version, file, sha256):',
    ...rows.map((row, r) => `  ${row.map((cell, c) => cell.padEnd(width(c))).join('  ')}  ${commentText(bundle.inputs[r]!.sha256)}`),
  ];
}

/** `# `-prefixed header lines (Python, YAML). */
export function hashComment(bundle: Bundle, format: string): string {
  return headerLines(bundle, format)
    .map((l) => `# ${l}`.trimEnd())
    .join('\n');
}

/** Python and YAML string literals, XML attributes: one escaping function per language (./escape.ts). */
export { quoted };
export { xmlAttribute } from './escape.js';

/** A JSON array with one compact element per line: readable, and diffs one line per label. */
export function jsonLines(items: readonly unknown[], indent = ''): string {
  if (items.length === 0) return '[]';
  return `[\n${items.map((item) => `${indent}  ${compactJson(item)}`).join(',\n')}\n${indent}]`;
}

/** JSON on one line with a space after `:` and `,`, keys in the order given. */
export function compactJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(compactJson).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}: ${compactJson(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

/** A JSON object from entries in the given order (JavaScript objects put integer-like keys first). */
export function jsonObject(entries: readonly [string, unknown][], indent = ''): string {
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${indent}  ${JSON.stringify(k)}: ${compactJson(v)}`).join(',\n')}\n${indent}}`;
}

/**
 * UPPER_CASE Python identifiers for the labels (`traffic_light` -> `TRAFFIC_LIGHT`); two labels
 * that would share one are an error, not a silent rename.
 */
export function pythonConstants(labels: readonly OutputLabel[]): string[] {
  const seen = new Map<string, string>();
  return labels.map((label) => {
    let id = label.name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
    if (!/^[A-Z]/.test(id)) id = `L_${id}`.replace(/_+$/, '');
    const first = seen.get(id);
    if (first !== undefined) throw new LabelmapError('export-name-clash', {}, { first, second: label.name, what: 'Python name', name: id });
    seen.set(id, label.name);
    return id;
  });
}

/** Numbers as Python/JSON list lines of `perLine` each, with a trailing comment of the first index. */
export function numberRows(values: readonly number[], perLine: number, indent: string): string[] {
  const rows: string[] = [];
  for (let i = 0; i < values.length; i += perLine) {
    const chunk = values.slice(i, i + perLine);
    rows.push(`${indent}${chunk.join(', ')},  # ${i}..${i + chunk.length - 1}`);
  }
  return rows;
}
