// One stdlib-only Python module with the whole label set: training, evaluation and prediction
// code import it (no labelmap, no JSON file at run time). Output, abridged:
//
//   from enum import IntEnum
//   VERTICAL = "self-driving"
//   IGNORE = 255
//   class Label(IntEnum):
//       ROAD = 0
//   ID2LABEL = {0: "road", ...}
//   LABEL_SETS = {36: ("road|lane_marking|crosswalk|bike_lane", "coarse", (0, 1, 2, 3))}
//   LUT = {"cityscapes": [255, 255, ..., 36, ...]}   # 256 entries: np.asarray(LUT["cityscapes"], np.uint8)[label_ids]
//   def partial_label_loss(logits, target): ...    # -log sum_{u in set} p(u), numpy
import { encodingEntries, lutTable } from '../api/lut.js';
import type { Bundle, DatasetOutput } from '../taxonomy/types.js';
import { hashComment, labelSlots, pyTuple, pythonConstants, pythonLabelSetEntries, quoted, rgb } from './common.js';
import { commentText } from './escape.js';
import { PARTIAL_LABEL_LOSS_PY } from './python-loss.js';
import type { ExportFormat } from './types.js';
import { pushAll } from '../arrays.js';

const PER_LINE = 8;

/**
 * A dataset's lookup table at full length, as the Label API's lut() holds it (api/lut.ts): every
 * value a mask of its native ids can hold (256 entries when they fit 8 bits, 65536 for 16), so
 * that `lut[mask]` never raises.
 */
export function fullLut(bundle: Bundle, dataset: DatasetOutput): { length: number; entries: [number, number][] } {
  const table = lutTable(bundle, dataset);
  const entries: [number, number][] = [];
  table.forEach((trainId, id) => {
    if (trainId !== bundle.ignore_id) entries.push([id, trainId]);
  });
  return { length: table.length, entries };
}

/** `(length, {id: value, ...})`, PER_LINE entries a line, at the given indent. */
function sparseTable(key: string, table: { length: number; entries: [number, number][] }, indent: string): string[] {
  const rows: string[] = [];
  for (let i = 0; i < table.entries.length; i += PER_LINE) rows.push(`${indent}    ${table.entries.slice(i, i + PER_LINE).map(([id, t]) => `${id}: ${t},`).join(' ')}`);
  return [`${indent}${key}: (${table.length}, {`, ...rows, `${indent}}),`];
}

function render(bundle: Bundle): string {
  const constants = pythonConstants(bundle.labels);
  const slots = labelSlots(bundle);
  const out: string[] = [hashComment(bundle, 'python')];
  pushAll(out, [
    // Fixed text: the vertical's name is data (VERTICAL below), never part of a docstring.
    '"""Output labels of a labelmap label set (VERTICAL names it): names, train ids, colours and per-dataset lookup tables."""',
    '',
    'from enum import IntEnum',
    '',
    `VERTICAL = ${bundle.vertical === null ? 'None' : quoted(bundle.vertical)}  # None for the unified taxonomy`,
    `ID_BITS = ${bundle.id_bits}`,
    '# The train id of everything this label set switches off (ignore it in the loss and in evaluation).',
    `IGNORE = ${bundle.ignore_id}`,
    '# Highest train id + 1: the number of output channels of a model trained on this set.',
    `NUM_CLASSES = ${slots.length}`,
    '',
    '# The input sheets: (kind, name, version, file, sha256).',
    'INPUTS = (',
    ...bundle.inputs.map((i) => `    (${[i.kind, i.name, i.version, i.file, i.sha256].map(quoted).join(', ')}),`),
    ')',
    '',
    '',
    'class Label(IntEnum):',
    '    """The output labels by train id."""',
    '',
    ...(bundle.labels.length ? bundle.labels.map((l, i) => `    ${constants[i]} = ${l.train_id}`) : ['    pass']),
    '',
    '',
    ...pyDict('ID2LABEL', bundle.labels.map((l) => [String(l.train_id), quoted(l.name)])),
    ...pyDict('LABEL2ID', bundle.labels.map((l) => [quoted(l.name), String(l.train_id)])),
    '# Whether each label is a countable thing (True) or amorphous stuff (False).',
    ...pyDict('IS_THING', bundle.labels.map((l) => [String(l.train_id), l.is_thing ? 'True' : 'False'])),
    '# The taxonomy classes each label covers.',
    ...pyDict('COVERS', bundle.labels.map((l) => [String(l.train_id), pyTuple(l.covers.map(quoted))])),
    '# RGB colour by train id, for colouring a train-id image: PALETTE[train_id]. Unused train ids are black.',
    'PALETTE = [',
    ...slots.map((l, i) => `    (${(l ? rgb(l.color) : [0, 0, 0]).join(', ')}),  # ${i} ${l ? commentText(l.name) : '(unused)'}`),
    ']',
    '',
    '# Label sets: a LUT value that stands for "one of these labels". Kind "coarse": a source class',
    '# coarser than this label set (Cityscapes road); kind "background": none of the classes the',
    '# dataset labels. Train on them with partial_label_loss below.',
    '# Set id -> (name, kind, member train ids).',
    ...pyDict('LABEL_SETS', pythonLabelSetEntries(bundle)),
    '# Set id -> multi-hot member mask over the train ids 0..NUM_CLASSES-1.',
    'SET_MULTI_HOT = {s: tuple(int(i in members) for i in range(NUM_CLASSES)) for s, (_, _, members) in LABEL_SETS.items()}',
    '',
    '# Native id -> train id, one full-length list per dataset (every value a mask can hold, so',
    '# indexing never fails), for numpy indexing:',
    '#     lut = np.asarray(LUT["cityscapes"], dtype=np.uint8 if ID_BITS == 8 else np.uint16)',
    '#     train_ids = lut[native_id_image]',
    '# A value is a label\'s train id, a label set id (LABEL_SETS) or IGNORE. Written below as',
    '# (length, {native id: value}) with the values that are not IGNORE. Negative native ids',
    '# (Cityscapes "license plate" = -1) cannot be list indices (Python reads -1 as the last',
    '# element): they are in NEGATIVE_LUT only.',
    '_LUT_ENTRIES = {',
  ]);
  for (const d of bundle.datasets) pushAll(out, sparseTable(quoted(d.name), fullLut(bundle, d), '    '));
  pushAll(out, [
    '}',
    'LUT = {name: [entries.get(i, IGNORE) for i in range(length)] for name, (length, entries) in _LUT_ENTRIES.items()}',
    '# The same for the other value spaces a dataset\'s annotation files use (e.g. COCO-Stuff',
    '# stuffthingmaps PNGs hold native id - 1): ENCODING_LUT[dataset][encoding][mask value] -> train id.',
    '# ENCODINGS[dataset][encoding] says what each encoding is.',
    'ENCODINGS = {',
    ...bundle.datasets.flatMap((d) => (d.encodings?.length ? [`    ${quoted(d.name)}: {${d.encodings.map((e) => `${quoted(e.name)}: ${quoted(e.description)}`).join(', ')}},`] : [])),
    '}',
    '_ENCODING_ENTRIES = {',
  ]);
  for (const d of bundle.datasets) {
    if (!d.encodings?.length) continue;
    out.push(`    ${quoted(d.name)}: {`);
    for (const e of d.encodings) pushAll(out, sparseTable(quoted(e.name), encodingEntries(bundle, d, e.values), '        '));
    out.push('    },');
  }
  pushAll(out, [
    '}',
    'ENCODING_LUT = {',
    '    name: {enc: [entries.get(i, IGNORE) for i in range(length)] for enc, (length, entries) in encodings.items()}',
    '    for name, encodings in _ENCODING_ENTRIES.items()',
    '}',
  ]);
  pushAll(out, [
    'NEGATIVE_LUT = {',
    ...bundle.datasets.map((d) => `    ${quoted(d.name)}: {${d.lut.filter((e) => e.id < 0).map((e) => `${e.id}: ${e.train_id}`).join(', ')}},`),
    '}',
    '# Native name -> output label name (None for a label set or when switched off), per dataset.',
    'NAME_TO_LABEL = {',
  ]);
  for (const d of bundle.datasets) {
    pushAll(out, [`    ${quoted(d.name)}: {`, ...d.lut.map((e) => `        ${quoted(e.name)}: ${e.label === null ? 'None' : quoted(e.label)},`), '    },']);
  }
  pushAll(out, [
    '}',
    '# Native name -> label set name, per dataset, for the classes whose LUT value is a label set.',
    'NAME_TO_SET = {',
    ...bundle.datasets.map((d) => `    ${quoted(d.name)}: {${d.lut.flatMap((e) => (e.set === null ? [] : [`${quoted(e.name)}: ${quoted(e.set)}`])).join(', ')}},`),
    '}',
    '# Per dataset and label: "full", "partial" (only through a coarser class) or "none". In',
    '# multi-dataset training, do not learn a label as background from a dataset that does not cover it fully.',
    'COVERAGE = {',
    ...bundle.datasets.map((d) => `    ${quoted(d.name)}: {${d.coverage.map((c) => `${quoted(c.label)}: ${quoted(c.status)}`).join(', ')}},`),
    '}',
    PARTIAL_LABEL_LOSS_PY.trimEnd(),
    '',
  ]);
  return out.join('\n');
}

/** `NAME = {` one `key: value,` per line `}`. */
function pyDict(name: string, entries: readonly [string, string][]): string[] {
  return entries.length ? [`${name} = {`, ...entries.map(([k, v]) => `    ${k}: ${v},`), '}'] : [`${name} = {}`];
}

export const python: ExportFormat<'python'> = {
  id: 'python',
  title: 'Python module (stdlib only): Label enum, ID2LABEL, PALETTE, full-length LUTs, LABEL_SETS, partial-label loss',
  audience: 'training',
  file: 'labelmap_labels.py',
  extension: 'py',
  render,
};
