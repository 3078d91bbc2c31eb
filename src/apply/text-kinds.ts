// Annotation files that name classes in text: VOC XML, YOLO txt, LabelMe and Cityscapes polygon
// JSON. Each is remapped by name (or, for YOLO, by class index in the dataset's class order), in
// memory (these files are small), written atomically. Pure: text in, text and counts out.
//
//   VOC:        <object><name>car</name>...</object>      -> <name>car</name> of the label set;
//                                                            objects of ignored classes removed
//   YOLO:       `2 0.51 0.43 0.2 0.1` (index, box or polygon) -> index = train id; ignored lines removed
//   LabelMe:    {"shapes": [{"label": "car", "points": [...]}], ...}
//   Cityscapes: {"imgHeight": 1024, "imgWidth": 2048, "objects": [{"label": "car", "polygon": [...]}]}
//               -> label renamed; a polygon of an ignored class keeps its place (later polygons
//                  are drawn over earlier ones) as "__ignore__", labelme2voc's ignore label
import type { Bundle, DatasetOutput } from '../taxonomy/types.js';
import { MaskError } from './mask.js';

export type TextKindId = 'voc-xml' | 'yolo-txt' | 'polygon-json';

interface Target {
  nativeId: number;
  /** Output label or set name; null = ignore. */
  name: string | null;
  trainId: number;
}

export interface TextTables {
  dataset: string;
  byName: Map<string, Target>;
  /** YOLO: class index -> target, in the dataset's class order (ids >= 0, ascending). */
  byIndex: Target[];
}

export const IGNORE_LABEL = '__ignore__';

export function buildTextTables(bundle: Bundle, dataset: DatasetOutput): TextTables {
  void bundle;
  const byName = new Map<string, Target>();
  const byIndex: Target[] = [];
  for (const e of [...dataset.lut].sort((a, b) => a.id - b.id)) {
    const t: Target = { nativeId: e.id, name: e.kind === 'ignore' ? null : e.kind === 'set' ? e.set : e.label, trainId: e.train_id };
    if (!byName.has(e.name)) byName.set(e.name, t);
    if (e.id >= 0) byIndex.push(t);
  }
  return { dataset: dataset.name, byName, byIndex };
}

export interface TextResult {
  text: string;
  /** [native id, instances], by id. */
  instances: [number, number][];
  /** Objects or lines of ignored classes removed. */
  dropped: number;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

class Counter {
  private readonly counts = new Map<number, number>();
  add(id: number): void {
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
  }
  sorted(): [number, number][] {
    return [...this.counts].sort((a, b) => a[0] - b[0]);
  }
}

/** The class a name stands for; Cityscapes' `cargroup` is `car` when the sheet has no group class (as cityscapesScripts reads it). */
function lookup(tables: TextTables, name: string, text: string, offset: number): Target {
  const t = tables.byName.get(name) ?? (name.endsWith('group') ? tables.byName.get(name.slice(0, -'group'.length)) : undefined);
  if (!t) throw new MaskError('apply-class-unknown', { name, dataset: tables.dataset, line: lineAt(text, offset) }, offset);
  return t;
}

// --- VOC XML -------------------------------------------------------------------------------------

const XML_DECODE: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };
const decodeXml = (s: string): string => s.replace(/&(amp|lt|gt|quot|apos);/g, (m) => XML_DECODE[m]!);
const encodeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The object's own <name> (not a <part>'s): its text range inside `block`, or null. */
function objectName(block: string): { start: number; end: number } | null {
  // Blank out <part>...</part> (VOC person layout: parts have names too), keeping offsets.
  const masked = block.replace(/<part\b[\s\S]*?<\/part\s*>/g, (m) => ' '.repeat(m.length));
  const m = /<name\s*>([\s\S]*?)<\/name\s*>/.exec(masked);
  if (!m) return null;
  const start = m.index + m[0].indexOf('>') + 1;
  return { start, end: start + m[1]!.length };
}

export function remapVocXml(text: string, tables: TextTables): TextResult {
  if (!/<annotation[\s>]/.test(text)) throw new MaskError('apply-xml-invalid', { reason: 'no <annotation> element', line: 1 }, 0);
  const counter = new Counter();
  let dropped = 0;
  let out = '';
  let pos = 0;
  const re = /([ \t]*)<object\s*>([\s\S]*?)<\/object\s*>([ \t]*\r?\n)?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const blockStart = m.index + m[1]!.length + m[0].slice(m[1]!.length).indexOf('>') + 1;
    const block = m[2]!;
    const range = objectName(block);
    if (!range) throw new MaskError('apply-xml-invalid', { reason: '<object> without <name>', line: lineAt(text, m.index) }, m.index);
    const name = decodeXml(block.slice(range.start, range.end).trim());
    const target = lookup(tables, name, text, blockStart + range.start);
    counter.add(target.nativeId);
    out += text.slice(pos, m.index);
    pos = m.index + m[0].length;
    if (target.name === null) {
      dropped++; // the whole <object> with its line
      continue;
    }
    out += text.slice(m.index, blockStart + range.start) + encodeXml(target.name) + text.slice(blockStart + range.end, pos);
  }
  if (/<object[\s>]/.test(text.slice(pos))) throw new MaskError('apply-xml-invalid', { reason: '<object> without </object>', line: lineAt(text, pos) }, pos);
  out += text.slice(pos);
  return { text: out, instances: counter.sorted(), dropped };
}

// --- YOLO txt ------------------------------------------------------------------------------------

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export function remapYolo(text: string, tables: TextTables): TextResult {
  const counter = new Counter();
  let dropped = 0;
  const lines = text.split('\n');
  const kept: string[] = [];
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineOffset = offset;
    offset += line.length + 1;
    if (line.trim() === '') {
      kept.push(line);
      continue;
    }
    const m = /^(\s*)(\S+)(.*)$/.exec(line)!;
    const fields = m[3]!.trim().split(/\s+/);
    if (!/^\d+$/.test(m[2]!) || fields.length < 4 || !fields.every((f) => NUMBER.test(f))) {
      throw new MaskError('apply-yolo-line', { line: i + 1, text: line.slice(0, 80) }, lineOffset);
    }
    const index = Number(m[2]);
    const target = tables.byIndex[index];
    if (!target) throw new MaskError('apply-yolo-index-unknown', { index, line: i + 1, classes: tables.byIndex.length, dataset: tables.dataset }, lineOffset);
    counter.add(target.nativeId);
    if (target.name === null) {
      dropped++;
      continue;
    }
    kept.push(`${m[1]}${target.trainId}${m[3]}`);
  }
  return { text: kept.join('\n'), instances: counter.sorted(), dropped };
}

// --- LabelMe / Cityscapes polygon JSON -----------------------------------------------------------

/** Which polygon layout a parsed JSON value is, or why it is neither. */
export function polygonLayout(value: unknown): { layout: 'labelme' | 'cityscapes' } | { reason: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { reason: 'not a JSON object' };
  const o = value as Record<string, unknown>;
  const labelled = (a: unknown): boolean => Array.isArray(a) && a.every((s) => typeof s === 'object' && s !== null && typeof (s as Record<string, unknown>).label === 'string');
  if (labelled(o.shapes)) return { layout: 'labelme' };
  if (labelled(o.objects) && typeof o.imgHeight === 'number' && typeof o.imgWidth === 'number') return { layout: 'cityscapes' };
  return { reason: 'neither LabelMe (shapes[].label) nor Cityscapes polygons (imgHeight, imgWidth, objects[].label)' };
}

export function remapPolygons(text: string, tables: TextTables): TextResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MaskError('apply-polygon-json-invalid', { reason: error instanceof Error ? error.message : String(error) });
  }
  const layout = polygonLayout(value);
  if (!('layout' in layout)) throw new MaskError('apply-polygon-json-invalid', { reason: layout.reason });
  const o = value as Record<string, { label: string }[]>;
  const items = layout.layout === 'labelme' ? o.shapes! : o.objects!;
  const counter = new Counter();
  items.forEach((item) => {
    const target = lookup(tables, item.label, text, Math.max(0, text.indexOf(JSON.stringify(item.label))));
    counter.add(target.nativeId);
    item.label = target.name ?? IGNORE_LABEL;
  });
  // The file's own indentation (Cityscapes: 4 spaces, LabelMe: 2).
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '';
  return { text: `${JSON.stringify(value, null, indent || undefined)}${text.endsWith('\n') ? '\n' : ''}`, instances: counter.sorted(), dropped: 0 };
}
