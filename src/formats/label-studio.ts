// A Label Studio labeling config (Settings > Labeling Interface > Code; what `labelmap export
// --format label-studio` writes). Classes are the options of its control tags:
//
//   <View>
//     <Image name="image" value="$image"/>
//     <RectangleLabels name="label" toName="image">      any *Labels tag: Labels, PolygonLabels,
//       <Label value="car" background="#fa3253"/>          BrushLabels, KeyPointLabels, ...
//     </RectangleLabels>
//     <Choices name="weather" toName="image"><Choice value="rain"/></Choices>
//     <Taxonomy name="tax" toName="image">                nested choices: a hierarchy
//       <Choice value="vehicle"><Choice value="car"/></Choice>
//     </Taxonomy>
//   </View>
//
// Ids are positions in document order (--first-id). A name listed by two control tags (the same
// labels for boxes and polygons) is one class. A Taxonomy keeps its tree: `category` is the top
// choice, `x_parent` the choice a class sits in. The XML is read with no DTD and no entities.
import path from 'node:path';
import { decodeText, readBytes, readHead } from '../io/index.js';
import { positionsNote, shapeError, TOOL_MAX_BYTES, toolRows, type ToolLabel } from './lib/annotation-tools.js';
import { rejectedBy } from './lib/detection.js';
import { parseXmlTree, walkXml, type XmlElement } from './lib/xml-tree.js';
import type { Detection, ExtractOptions, Extraction, Extractor } from './types.js';

/** Label Studio reads tag names case-insensitively (`<View>`, `<view>`). */
const lower = (e: XmlElement): string => e.name.toLowerCase();
const isLabelsTag = (e: XmlElement): boolean => lower(e).endsWith('labels');

export interface LabelStudioLabels {
  labels: ToolLabel[];
  /** The control tags read, as `Tag name="..."`. */
  controls: string[];
  merged: number;
}

export function labelStudioLabels(root: XmlElement, file: string): LabelStudioLabels {
  if (lower(root) !== 'view') throw shapeError({ file, line: root.line, column: root.column }, 'a <View> root (a Label Studio labeling config)', `<${root.name}>`);
  const labels: ToolLabel[] = [];
  const byName = new Map<string, ToolLabel>();
  const controls: string[] = [];
  let merged = 0;
  const add = (name: string, element: XmlElement, fields: Partial<ToolLabel>, control: string): void => {
    const place = { file, line: element.line, column: element.column };
    if (name.trim() === '') throw shapeError(place, `a value="..." on the <${element.name}>`, 'none');
    const seen = byName.get(name);
    if (seen) {
      // The same label under two control tags of one kind (boxes and polygons) is one class; the
      // same name twice in one tag, or at two places of a taxonomy, is a file to fix.
      // (kept, so that toolRows reports labels-duplicate at both lines).
      if (seen.extra?.x_control !== control && fields.category === undefined) {
        merged++;
        return;
      }
    }
    const label: ToolLabel = { name, place, ...fields, extra: { x_control: control, ...(fields.extra ?? {}) } };
    if (!seen) byName.set(name, label);
    labels.push(label);
  };
  const taxonomy = (choice: XmlElement, top: string, parent: string, control: string): void => {
    const value = choice.attributes.value ?? '';
    add(value, choice, { category: top || value, extra: parent ? { x_parent: parent } : {} }, control);
    for (const c of choice.children) if (lower(c) === 'choice') taxonomy(c, top || value, value, control);
  };

  for (const element of walkXml(root)) {
    const tag = lower(element);
    const control = element.attributes.name ?? element.name;
    if (isLabelsTag(element)) {
      controls.push(`${element.name} name="${control}"`);
      for (const l of element.children) if (lower(l) === 'label') add(l.attributes.value ?? '', l, { color: l.attributes.background }, control);
    } else if (tag === 'choices') {
      controls.push(`${element.name} name="${control}"`);
      for (const c of element.children) if (lower(c) === 'choice') add(c.attributes.value ?? '', c, {}, control);
    } else if (tag === 'taxonomy') {
      controls.push(`${element.name} name="${control}"`);
      for (const c of element.children) if (lower(c) === 'choice') taxonomy(c, '', '', control);
    }
  }
  if (labels.length === 0) throw shapeError({ file, line: root.line, column: root.column }, 'a <Labels>, <RectangleLabels>, <PolygonLabels>, <Choices> or <Taxonomy> tag with options', 'none');
  return { labels, controls, merged };
}

export const labelStudio: Extractor = {
  id: 'label-studio',
  title: 'Label Studio labeling config',
  input: 'a Label Studio labeling config XML (<View> with <*Labels>, <Choices> or <Taxonomy>)',

  async detect(input: string): Promise<Detection> {
    if (!/\.xml$/i.test(input)) return { ok: false, reason: 'not an .xml file' };
    try {
      const head = readHead(input, 'labeling config', 4096).toString('utf8');
      if (!/^(?:\uFEFF)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<view[\s>/]/i.test(head)) return { ok: false, reason: 'an .xml file whose root is not <View>' };
      return { ok: true, reason: 'an XML whose root is <View> (a Label Studio labeling config)' };
    } catch (error) {
      return rejectedBy(error);
    }
  },

  async extract(input: string, options: ExtractOptions): Promise<Extraction> {
    const root = parseXmlTree(decodeText(readBytes(input, 'labeling config', TOOL_MAX_BYTES), input, 'labeling config'), input);
    const { labels, controls, merged } = labelStudioLabels(root, input);
    const oneControl = controls.length === 1;
    if (oneControl) for (const l of labels) delete l.extra?.x_control;
    const rows = toolRows(labels, input, options.firstId);
    const notes = [`read ${rows.length} classes from ${path.basename(input)} (${controls.join(', ')})`, positionsNote(options.firstId)];
    if (!oneControl) notes.push('the control tag of each class is kept as x_control');
    if (merged > 0) notes.push(`${merged} label${merged === 1 ? '' : 's'} listed by more than one control tag counted once`);
    if (rows.some((r) => r.extra.x_parent)) notes.push('the taxonomy is kept: category = its top choice, x_parent = the choice a class sits in');
    if (options.stats) notes.push('--stats: a labeling config has no annotations');
    return { name: 'label-studio', rows, notes };
  },
};
