// One stdlib-only Python module with the whole label set: training, evaluation and prediction
// code import it (no labelmap, no JSON file at run time). Output, abridged:
//
//   from enum import IntEnum
//   VERTICAL = "self-driving"
//   IGNORE = 255
//   class Label(IntEnum):
//       ROAD = 0
//   ID2LABEL = {0: "road", ...}
//   LUT = {"cityscapes": [255, 255, ..., 0, ...]}   # np.asarray(LUT["cityscapes"], np.uint8)[label_ids]
import { lutTable } from '../api/lut.js';
import type { Bundle } from '../taxonomy/types.js';
import { hashComment, labelSlots, numberRows, pythonConstants, quoted, rgb } from './common.js';
import type { ExportFormat } from './types.js';

const PER_LINE = 16;

function render(bundle: Bundle): string {
  const constants = pythonConstants(bundle.labels);
  const slots = labelSlots(bundle);
  const out: string[] = [hashComment(bundle, 'python')];
  out.push(
    `"""Output labels of ${bundle.vertical === null ? 'the unified labelmap taxonomy' : `the labelmap vertical ${bundle.vertical}`}: names, train ids, colours and per-dataset lookup tables."""`,
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
    '# Whether each label is a countable thing (True), amorphous stuff (False) or mixed/unknown (None).',
    ...pyDict('IS_THING', bundle.labels.map((l) => [String(l.train_id), l.is_thing === null ? 'None' : l.is_thing ? 'True' : 'False'])),
    '# The taxonomy classes each label covers.',
    ...pyDict('COVERS', bundle.labels.map((l) => [String(l.train_id), pyTuple(l.covers.map(quoted))])),
    '# RGB colour by train id, for colouring a train-id image: PALETTE[train_id]. Unused train ids are black.',
    'PALETTE = [',
    ...slots.map((l, i) => `    (${(l ? rgb(l.color) : [0, 0, 0]).join(', ')}),  # ${i} ${l ? l.name : '(unused)'}`),
    ']',
    '',
    '# Native id -> train id, one list per dataset, for numpy indexing:',
    '#     lut = np.asarray(LUT["cityscapes"], dtype=np.uint8 if ID_BITS == 8 else np.uint16)',
    '#     train_ids = lut[native_id_image]',
    '# Ids a dataset does not have hold IGNORE. Negative native ids (Cityscapes "license plate" = -1)',
    '# cannot be list indices (Python reads -1 as the last element): they are in NEGATIVE_LUT only.',
    'LUT = {',
  );
  for (const d of bundle.datasets) {
    out.push(`    ${quoted(d.name)}: [`, ...numberRows([...lutTable(bundle, d)], PER_LINE, '        '), '    ],');
  }
  out.push('}');
  out.push(
    'NEGATIVE_LUT = {',
    ...bundle.datasets.map((d) => `    ${quoted(d.name)}: {${d.lut.filter((e) => e.id < 0).map((e) => `${e.id}: ${e.train_id}`).join(', ')}},`),
    '}',
    '# Native name -> output label name (None when switched off), per dataset.',
    'NAME_TO_LABEL = {',
  );
  for (const d of bundle.datasets) {
    out.push(`    ${quoted(d.name)}: {`, ...d.lut.map((e) => `        ${quoted(e.name)}: ${e.label === null ? 'None' : quoted(e.label)},`), '    },');
  }
  out.push(
    '}',
    '# Per dataset and label: "full", "partial" (only through a coarser class) or "none". In',
    '# multi-dataset training, do not learn a label as background from a dataset that does not cover it fully.',
    'COVERAGE = {',
    ...bundle.datasets.map((d) => `    ${quoted(d.name)}: {${d.coverage.map((c) => `${quoted(c.label)}: ${quoted(c.status)}`).join(', ')}},`),
    '}',
    '',
  );
  return out.join('\n');
}

/** `("a",)`, `("a", "b")`. */
function pyTuple(items: readonly string[]): string {
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/** `NAME = {` one `key: value,` per line `}`. */
function pyDict(name: string, entries: readonly [string, string][]): string[] {
  return entries.length ? [`${name} = {`, ...entries.map(([k, v]) => `    ${k}: ${v},`), '}'] : [`${name} = {}`];
}

export const python: ExportFormat<'python'> = {
  id: 'python',
  title: 'Python module (stdlib only): Label enum, ID2LABEL, LABEL2ID, PALETTE, per-dataset LUT, IGNORE',
  audience: 'training',
  file: 'labelmap_labels.py',
  extension: 'py',
  render,
};
