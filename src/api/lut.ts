// Native id -> train id as a typed array: what LabelSpace.lut and the python export's LUT hold.
// Pure and light (no zod), so that the export formats can use it.
import { LabelmapError } from '../findings.js';
import type { Bundle, DatasetOutput } from '../taxonomy/types.js';

/** Lookup tables indexed by native id are refused above this id (use lutMap). */
export const MAX_LUT_ID = 2 ** 24 - 1;

/** The table behind LabelSpace.lut: native id -> train id, ignore in the gaps, non-negative ids only. */
export function lutTable(bundle: Bundle, dataset: DatasetOutput): Uint8Array | Uint16Array {
  const max = dataset.lut.reduce((m, e) => Math.max(m, e.id), -1);
  if (max > MAX_LUT_ID) throw new LabelmapError('lut-too-large', {}, { dataset: dataset.name, id: max, max: MAX_LUT_ID + 1 });
  const table = bundle.id_bits === 8 ? new Uint8Array(max + 1) : new Uint16Array(max + 1);
  table.fill(bundle.ignore_id);
  for (const e of dataset.lut) if (e.id >= 0) table[e.id] = e.train_id;
  return table;
}
