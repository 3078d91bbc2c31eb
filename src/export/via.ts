// VGG Image Annotator (VIA 2) region and file attributes, as "Project > Import region/file
// attributes" reads them: a `class` dropdown on every region, one option per output label.
//   {"region": {"class": {"type": "dropdown", "description": "...", "options": {"road": "road"}, "default_options": {}}}, "file": {}}
import type { Bundle } from '../taxonomy/types.js';
import { jsonObject } from './common.js';
import type { ExportFormat } from './types.js';

function render(bundle: Bundle): string {
  const set = bundle.vertical === null ? 'the unified taxonomy' : `the vertical ${bundle.vertical}`;
  // Written by hand to keep the options in train-id order (an object would put integer-like names first).
  const options = jsonObject(bundle.labels.map((l) => [l.name, l.name]), '      ');
  return [
    '{',
    '  "region": {',
    '    "class": {',
    '      "type": "dropdown",',
    `      "description": ${JSON.stringify(`output label of ${set}`)},`,
    `      "options": ${options},`,
    '      "default_options": {}',
    '    }',
    '  },',
    '  "file": {}',
    '}',
    '',
  ].join('\n');
}

export const via: ExportFormat<'via'> = {
  id: 'via',
  title: 'VGG Image Annotator attributes (a "class" region dropdown)',
  audience: 'annotation',
  file: 'via_attributes.json',
  extension: 'json',
  render,
};
