// Native id -> train id as a typed array: what LabelSpace.lut and the python export's LUT hold.
// Pure and light (no zod), so that the export formats can use it.
import { LabelmapError } from '../findings.js';
import type { Bundle, DatasetOutput } from '../taxonomy/types.js';

/** Lookup tables indexed by native id are refused above this id (use lutMap). */
export const MAX_LUT_ID = 2 ** 24 - 1;

/**
 * How many entries a dataset's table has: FULL LENGTH, every value a mask of its native ids can
 * hold, so that `lut[mask]` never raises: 256 when every native id fits 8 bits (uint8 masks; 255,
 * the usual "unlabeled", holds ignore unless the dataset has a class 255), 65536 when they fit 16
 * bits, else highest id + 1.
 */
export function lutLength(dataset: DatasetOutput): number {
  const max = dataset.lut.reduce((m, e) => Math.max(m, e.id), -1);
  return max < 256 ? 256 : max < 65536 ? 65536 : max + 1;
}

/** The table behind LabelSpace.lut: native id -> train id (label, label set or ignore), ignore elsewhere, non-negative ids only. */
export function lutTable(bundle: Bundle, dataset: DatasetOutput): Uint8Array | Uint16Array {
  const max = dataset.lut.reduce((m, e) => Math.max(m, e.id), -1);
  if (max > MAX_LUT_ID) throw new LabelmapError('lut-too-large', {}, { dataset: dataset.name, id: max, max: MAX_LUT_ID + 1 });
  const length = lutLength(dataset);
  const table = bundle.id_bits === 8 ? new Uint8Array(length) : new Uint16Array(length);
  table.fill(bundle.ignore_id);
  for (const e of dataset.lut) if (e.id >= 0) table[e.id] = e.train_id;
  return table;
}

/**
 * The table of one of the dataset's other mask encodings (`bundle.datasets[].encodings`, e.g.
 * Cityscapes `train_id` for *_trainIds.png): mask value -> the train id of the native class it
 * stands for; ignore for a void value and every value the encoding does not list. Full length by
 * the same rule over its mask values.
 */
/** One of the dataset's mask encodings by name; `unknown-encoding` (naming those it has) otherwise. */
export function encodingOf(dataset: DatasetOutput, encoding: string): NonNullable<DatasetOutput['encodings']>[number] {
  const found = dataset.encodings?.find((e) => e.name === encoding);
  if (!found) {
    throw new LabelmapError('unknown-encoding', {}, { dataset: dataset.name, encoding, known: (dataset.encodings ?? []).map((e) => e.name).join(', ') || 'none' });
  }
  return found;
}

export function encodingTable(bundle: Bundle, dataset: DatasetOutput, encoding: string): Uint8Array | Uint16Array {
  const found = encodingOf(dataset, encoding);
  const { length, entries } = encodingEntries(bundle, dataset, found.values);
  if (length - 1 > MAX_LUT_ID) throw new LabelmapError('lut-too-large', {}, { dataset: dataset.name, id: length - 1, max: MAX_LUT_ID + 1 });
  const table = bundle.id_bits === 8 ? new Uint8Array(length) : new Uint16Array(length);
  table.fill(bundle.ignore_id);
  for (const [value, trainId] of entries) table[value] = trainId;
  return table;
}

/**
 * One encoding as a table: mask value -> train id for every value that is not ignore, sorted by
 * value, and the full length a table of it needs (256, 65536, or past the largest value). The one
 * reading behind LabelSpace.lut(dataset, {encoding}) and the python export's ENCODING_LUT.
 */
export function encodingEntries(bundle: Bundle, dataset: DatasetOutput, values: readonly (readonly [number, number | null])[]): { length: number; entries: [number, number][] } {
  const trainIdOf = new Map(dataset.lut.map((e) => [e.id, e.train_id]));
  const entries: [number, number][] = [];
  let max = -1;
  for (const [value, nativeId] of [...values].sort((a, b) => a[0] - b[0])) {
    max = Math.max(max, value);
    const trainId = nativeId === null ? bundle.ignore_id : (trainIdOf.get(nativeId) ?? bundle.ignore_id);
    if (trainId !== bundle.ignore_id) entries.push([value, trainId]);
  }
  return { length: max < 256 ? 256 : max < 65536 ? 65536 : max + 1, entries };
}
