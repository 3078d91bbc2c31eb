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
import {
  APOLLOSCAPE_LAYOUT,
  CITYSCAPES_LAYOUT,
  guessLabelFamily,
  labelTableOf,
  sniffLabelFile,
} from './python-labels.js';
import { readPythonLabelsFile } from './lib/python-literals.js';
import type { Detection, ExtractOptions, Extraction, Extractor } from './types.js';

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
    const { family, reason } = sniffed.guess;
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
        format: guess.family === 'kitti-360' ? 'cityscapes' : guess.family,
        input,
      });
    }
    const lane = guess.family === 'apolloscape-lanemark';
    const table = labelTableOf(labels, input, lane ? [CITYSCAPES_LAYOUT] : [APOLLOSCAPE_LAYOUT]);
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
