// ApolloScape: two Python label tables, read as text (see ./python-labels.ts).
//
// Scene parsing, `labels_apollo.py` (sheet `apolloscape`):
//   Label = namedtuple('Label', ['name', 'clsId', 'id', 'trainId', 'category', 'categoryId',
//                                'hasInstances', 'ignoreInEval', 'color'])
//   Label('car'         , 0x21 ,   33,    1    , '移动物体',   2  ,True  , False , 0x00008E ),
//   Label('car_groups'  , 0xA1 ,  161,    1    , '移动物体',   2  ,True  , False , 0x00008E ),
// clsId in hex, colours as hex integers, categories in Chinese (kept as published; an English
// name goes in x_category_en), names spelled as published (`siderwalk`, `vegatation`).
//
// Lane marking, `laneMarkDetection.py` (sheet `apolloscape-lanemark`): the Cityscapes field list,
// colours as (r, g, b), ids 0 and 200..255, coded names (`s_w_d`, `a_w_tl`).
import path from 'node:path';
import { LabelmapError } from '../findings.js';
// cityscapes.ts and this file import each other, at call time only (no top-level use): each holds
// its own layouts, and telling the Python label tables apart needs both (guessLabelFamily).
import { guessLabelFamily } from './cityscapes.js';
import { firstRowArity, hasField, labelTableOf, sniffLabelFile, type FamilyGuess } from './python-labels.js';
import { readPythonLabelsFile, type KnownLayout, type PythonLabels } from './lib/python-literals.js';
import type { Detection, ExtractOptions, Extraction, Extractor } from './types.js';

/** labels_apollo.py's namedtuple fields (what a file without a field list is read as). */
export const APOLLOSCAPE_LAYOUT: KnownLayout = {
  title: 'ApolloScape',
  fields: ['name', 'clsId', 'id', 'trainId', 'category', 'categoryId', 'hasInstances', 'ignoreInEval', 'color'],
};

/** laneMarkDetection.py's fields: ApolloScape published the lane table with the Cityscapes field list. */
export const LANE_MARK_LAYOUT: KnownLayout = {
  title: 'ApolloScape lane-marking',
  fields: ['name', 'id', 'trainId', 'category', 'categoryId', 'hasInstances', 'ignoreInEval', 'color'],
};

/** The coded lane-marking names of ApolloScape's laneMarkDetection.py (`s_w_d`: solid white dividing). */
export const LANE_MARK_NAMES: ReadonlySet<string> = new Set(
  ('s_w_d s_y_d ds_w_dn ds_y_dn sb_w_do sb_y_do b_w_g b_y_g db_w_g db_y_g db_w_s s_w_s ds_w_s s_w_c s_y_c ' +
    's_w_p s_n_p c_wy_z a_w_u a_w_t a_w_tl a_w_tr a_w_tlr a_w_l a_w_r a_w_lr a_n_lu a_w_tu a_w_m a_y_t ' +
    'b_n_sr d_wy_za r_wy_np vom_wy_n om_n_n').split(' '),
);

/**
 * Whether a label table is one of ApolloScape's: the scene-parsing file is the one with `clsId`
 * (or, without a field list, nine values a row); the lane-marking file has the Cityscapes field
 * list and is told apart by its coded names (`s_w_d`, `a_w_tl`, ...). Undefined: not ApolloScape's.
 */
export function apolloscapeFamilyOf(labels: PythonLabels): FamilyGuess | undefined {
  const { fields } = labels;
  if (hasField(fields, 'clsId')) return { family: 'apolloscape', reason: 'its field list has clsId' };
  if (!fields && firstRowArity(labels) === APOLLOSCAPE_LAYOUT.fields.length) {
    return { family: 'apolloscape', reason: 'it has no field list and 9 values a row, the ApolloScape layout with clsId' };
  }
  const names = labels.rows.map((r) => r.args[0] ?? r.kwargs.name).filter((n): n is string => typeof n === 'string');
  const lane = names.filter((n) => LANE_MARK_NAMES.has(n)).length;
  if (lane >= 3 && lane * 2 >= names.length) {
    return { family: 'apolloscape-lanemark', reason: `${lane} of its ${names.length} names are ApolloScape lane-marking codes (s_w_d, a_w_tl, ...)` };
  }
  return undefined;
}

/** English names of the categories of labels_apollo.py. */
export const APOLLOSCAPE_CATEGORY_EN: Readonly<Record<string, string>> = {
  其他: 'others',
  天空: 'sky',
  移动物体: 'movable object',
  平面: 'flat',
  路间障碍: 'road obstacle',
  路边物体: 'roadside object',
  建筑: 'building',
  自然: 'nature',
  未标注: 'unlabeled',
};

export const apolloscape: Extractor = {
  id: 'apolloscape',
  title: 'ApolloScape',
  input: "ApolloScape's labels_apollo.py (scene parsing) or laneMarkDetection.py (lane marking)",

  async detect(input: string): Promise<Detection> {
    const sniffed = sniffLabelFile(input);
    if ('reason' in sniffed) return { ok: false, reason: sniffed.reason };
    const { family, reason } = guessLabelFamily(sniffed.labels);
    if (family === 'apolloscape') return { ok: true, reason: `ApolloScape scene-parsing labels: ${reason}` };
    if (family === 'apolloscape-lanemark') return { ok: true, reason: `ApolloScape lane-marking labels: ${reason}` };
    return { ok: false, reason: `no clsId field and no lane-marking names: ${reason} (use cityscapes)` };
  },

  async extract(input: string, options: ExtractOptions): Promise<Extraction> {
    const labels = readPythonLabelsFile(input);
    const guess = guessLabelFamily(labels);
    if (guess.family !== 'apolloscape' && guess.family !== 'apolloscape-lanemark') {
      throw new LabelmapError('label-file-kind', { file: input }, {
        found: `a ${guess.family === 'kitti-360' ? 'KITTI-360' : 'Cityscapes'} label file (${guess.reason})`,
        expected: 'an ApolloScape label file (labels_apollo.py with clsId, or laneMarkDetection.py)',
        format: 'cityscapes',
        input,
      });
    }
    const lane = guess.family === 'apolloscape-lanemark';
    const table = labelTableOf(labels, input, lane ? [LANE_MARK_LAYOUT] : [APOLLOSCAPE_LAYOUT]);
    const notes = [
      `read ${table.rows.length} ${lane ? 'lane-marking' : 'scene-parsing'} labels from ${path.basename(input)} (${guess.reason})`,
    ];
    if (!labels.fields) notes.push(`no field list: read as the ${table.layout?.title} layout, by the number of values`);
    if (!lane) {
      const unknown = new Set<string>();
      for (const row of table.rows) {
        const en = APOLLOSCAPE_CATEGORY_EN[row.category];
        if (en === undefined && row.category !== '') unknown.add(row.category);
        row.extra.x_category_en = en ?? '';
      }
      if (unknown.size) notes.push(`no English name known for the categories ${[...unknown].join(', ')}: x_category_en left empty`);
    }
    const extras = [...table.extras].map(([field, column]) => `${field} -> ${column}`);
    notes.push(`kept as extra columns: ${[...extras, ...(lane ? [] : ['category in English -> x_category_en'])].join(', ')}`);
    if (options.stats) notes.push('--stats: a label file has no counts');
    return { name: lane ? 'apolloscape-lanemark' : 'apolloscape', rows: table.rows, notes };
  },
};
