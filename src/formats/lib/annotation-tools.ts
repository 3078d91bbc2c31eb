// What the annotation-tool readers share (CVAT, Label Studio, labelme, VIA, Datumaro): a tool
// keeps its labels as an ordered list of names without ids, so ids are list positions (from
// --first-id, 0 unless told), names are unique, and --stats counts the shapes that name a label.
import { LabelmapError, type Place } from '../../findings.js';
import { readBytes } from '../../io/index.js';
import { parseJsonBytes } from '../../json.js';
import type { DatasetClass } from '../../sheets/schema.js';
import { checkUniqueLabels } from '../python-labels.js';
import { datasetClass } from '../types.js';

/** A label as a tool lists it, with where it is in the file (for errors). */
export interface ToolLabel {
  name: string;
  display_name?: string;
  color?: string;
  category?: string;
  extra?: Record<string, string>;
  place: Place;
}

/** Annotation files and tool configs are kilobytes to a few hundred megabytes. */
export const TOOL_MAX_BYTES = 512 * 1024 * 1024;

const HEX_RE = /^#[0-9a-f]{6}$/i;

export function readToolJson(file: string, what: string): unknown {
  return parseJsonBytes(readBytes(file, what, TOOL_MAX_BYTES), file, 'label-json-invalid');
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.slice(0, 40))}`;
  return `${typeof v} ${String(v)}`;
}

/** A located "expected X, found Y" for a tool file of the wrong shape. */
export function shapeError(place: Place, expected: string, found: unknown, fix?: string): LabelmapError {
  return new LabelmapError('label-json-shape', place, { expected, found: describeJson(found), ...(fix ? { fix } : {}) });
}

/** A colour as written by a tool (`#FA3253`, `#fa3253`) -> `#fa3253`; anything else is no colour. */
export function toolColor(text: string | undefined): string {
  const t = (text ?? '').trim();
  return HEX_RE.test(t) ? t.toLowerCase() : '';
}

/**
 * The rows of an ordered label list: id = firstId + position. Names must be non-empty and unique
 * (a tool that lists a name twice is a file to fix, not to guess about).
 */
export function toolRows(labels: readonly ToolLabel[], file: string, firstId = 0): DatasetClass[] {
  const rows = labels.map((l, i) => {
    if (l.name.trim() === '') throw new LabelmapError('label-json-shape', l.place, { expected: 'a label name', found: 'an empty name' });
    return datasetClass(firstId + i, l.name.trim(), { display_name: l.display_name ?? '', color: toolColor(l.color), category: l.category ?? '', extra: { ...(l.extra ?? {}) } });
  });
  checkUniqueLabels(rows, labels.map((l) => l.place.line), file, (i) => labels[i]!.place.path ?? `label ${i + 1}`);
  return rows;
}

/** Shapes per label name, and images per label name, from a walk over annotation files. */
export class LabelCounts {
  readonly instances = new Map<string, number>();
  readonly images = new Map<string, number>();
  private seenInImage = new Set<string>();
  imageCount = 0;

  /** Starts the next image (or file). */
  image(): void {
    this.seenInImage = new Set();
    this.imageCount++;
  }

  add(name: string): void {
    this.instances.set(name, (this.instances.get(name) ?? 0) + 1);
    if (!this.seenInImage.has(name)) {
      this.seenInImage.add(name);
      this.images.set(name, (this.images.get(name) ?? 0) + 1);
    }
  }

  /** Sets instances/images on the rows; returns a note for shapes whose label is not in the list. */
  apply(rows: DatasetClass[]): string[] {
    const known = new Set(rows.map((r) => r.name));
    for (const r of rows) {
      r.instances = this.instances.get(r.name) ?? 0;
      r.images = this.images.get(r.name) ?? 0;
    }
    const total = [...this.instances.values()].reduce((a, b) => a + b, 0);
    const notes = [`${total} shape${total === 1 ? '' : 's'} over ${this.imageCount} image${this.imageCount === 1 ? '' : 's'}`];
    const unknown = [...this.instances.keys()].filter((n) => !known.has(n)).sort();
    if (unknown.length > 0) notes.push(`${unknown.length} label name${unknown.length === 1 ? '' : 's'} in the annotations are not in the label list and are not counted: ${unknown.slice(0, 8).map((n) => JSON.stringify(n)).join(', ')}${unknown.length > 8 ? ', ...' : ''}`);
    return notes;
  }
}

export function positionsNote(firstId: number | undefined): string {
  return `the tool gives no ids: ids are list positions from ${firstId ?? 0}${firstId === undefined ? ' (pass --first-id 1 to count from 1)' : ''}`;
}
