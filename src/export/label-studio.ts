// A Label Studio labeling config: one image, one control tag with a <Label> per output label and
// its colour. --shape picks the tag: polygon (PolygonLabels, default), rectangle
// (RectangleLabels) or mask (BrushLabels).
//   <View>
//     <Image name="image" value="$image"/>
//     <PolygonLabels name="label" toName="image">
//       <Label value="road" background="#804080"/>
import type { Bundle } from '../taxonomy/types.js';
import { xmlAttribute } from './common.js';
import type { ExportFormat, ExportOptions, Shape } from './types.js';

const TAGS: Partial<Record<Shape, string>> = { polygon: 'PolygonLabels', rectangle: 'RectangleLabels', mask: 'BrushLabels' };

function render(bundle: Bundle, options: ExportOptions): string {
  const tag = TAGS[options.shape ?? 'polygon']!;
  return [
    '<View>',
    '  <Image name="image" value="$image"/>',
    `  <${tag} name="label" toName="image">`,
    ...bundle.labels.map((l) => `    <Label value="${xmlAttribute(l.name, 'label-studio')}" background="${xmlAttribute(l.color.toLowerCase(), 'label-studio', 'colour')}"/>`),
    `  </${tag}>`,
    '</View>',
    '',
  ].join('\n');
}

export const labelStudio: ExportFormat<'label-studio'> = {
  id: 'label-studio',
  title: 'Label Studio labeling config (XML, one <Label> per class with its colour)',
  audience: 'annotation',
  file: 'label_studio_config.xml',
  extension: 'xml',
  shapes: ['polygon', 'rectangle', 'mask'],
  render,
};
