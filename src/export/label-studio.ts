// A Label Studio labeling config: one image, one control tag with a <Label> per output label and
// its colour. --shape picks the tag: polygon (PolygonLabels, default), rectangle
// (RectangleLabels) or mask (BrushLabels). The bundle's image attributes follow as image-level
// classifications: a <Choices> per key, one <Choice> per value (single choice; none chosen =
// missing), the values as the results hold them.
//   <View>
//     <Image name="image" value="$image"/>
//     <PolygonLabels name="label" toName="image">
//       <Label value="road" background="#804080"/>
//     </PolygonLabels>
//     <Header value="weather"/>
//     <Choices name="weather" toName="image" choice="single" showInline="true">
//       <Choice value="clear"/>
import type { Bundle } from '../taxonomy/types.js';
import { attributeKeysFor } from './attributes.js';
import { xmlAttribute } from './common.js';
import type { ExportFormat, ExportOptions, Shape } from './types.js';

const TAGS: Partial<Record<Shape, string>> = { polygon: 'PolygonLabels', rectangle: 'RectangleLabels', mask: 'BrushLabels' };

function render(bundle: Bundle, options: ExportOptions): string {
  const tag = TAGS[options.shape ?? 'polygon']!;
  // Tag names are one namespace in a labeling config: a key may not be the image's or the labels' name.
  const keys = attributeKeysFor(bundle, 'label-studio', ['image', 'label'], 'the name of a tag of the config');
  return [
    '<View>',
    '  <Image name="image" value="$image"/>',
    `  <${tag} name="label" toName="image">`,
    ...bundle.labels.map((l) => `    <Label value="${xmlAttribute(l.name, 'label-studio')}" background="${xmlAttribute(l.color.toLowerCase(), 'label-studio', 'colour')}"/>`),
    `  </${tag}>`,
    ...keys.flatMap((k) => {
      const key = xmlAttribute(k.key, 'label-studio', 'attribute key');
      return [
        `  <Header value="${key}"/>`,
        `  <Choices name="${key}" toName="image" choice="single" showInline="true">`,
        ...k.values.map((v) => `    <Choice value="${xmlAttribute(v.value, 'label-studio', 'attribute value')}"/>`),
        '  </Choices>',
      ];
    }),
    '</View>',
    '',
  ].join('\n');
}

export const labelStudio: ExportFormat<'label-studio'> = {
  id: 'label-studio',
  title: 'Label Studio labeling config (XML, one <Label> per class with its colour; image attributes as <Choices>)',
  audience: 'annotation',
  file: 'label_studio_config.xml',
  extension: 'xml',
  shapes: ['polygon', 'rectangle', 'mask'],
  render,
};
