// CVAT project labels, in the two shapes CVAT gives them out:
//
//   the label constructor's "Raw" tab (what `labelmap export --format cvat` writes):
//     [{"name": "car", "color": "#fa3253", "type": "rectangle", "attributes": []}, ...]
//
//   CVAT for images 1.1 XML (Export dataset > "CVAT for images 1.1"), labels under <meta>:
//     <annotations><version>1.1</version>
//       <meta><task> (or <project>, <job>) <labels>
//         <label><name>car</name><color>#fa3253</color><type>rectangle</type><attributes/></label>
//       </labels></task></meta>
//       <image id="0" name="a.jpg"><box label="car" .../><polygon label="road" .../></image>
//     </annotations>
//
// CVAT keeps no ids: ids are list positions (--first-id). --stats counts the shapes of each
// <image> (and each <track>) of the XML. Skeleton sublabels are not classes of their own.
import path from 'node:path';
import { decodeText, readBytes, readHead } from '../io/index.js';
import { rejectedBy } from './lib/detection.js';
import { isRecord, LabelCounts, positionsNote, readToolJson, shapeError, TOOL_MAX_BYTES, toolRows, type ToolLabel } from './lib/annotation-tools.js';
import { childText, childrenNamed, parseXmlTree, type XmlElement } from './lib/xml-tree.js';
import type { Detection, ExtractOptions, Extraction, Extractor } from './types.js';

/** The shape elements of a CVAT for images image or track, each with a `label` attribute. */
const SHAPES = new Set(['box', 'polygon', 'polyline', 'points', 'ellipse', 'cuboid', 'mask', 'tag', 'skeleton']);

/** The labels of a label-constructor JSON array. */
export function cvatJsonLabels(json: unknown, file: string): ToolLabel[] {
  if (!Array.isArray(json)) throw shapeError({ file, path: '$' }, 'an array of labels ({"name", "color", "type", "attributes"})', json);
  return json.map((label, i) => {
    const at = { file, path: `[${i}]` };
    if (!isRecord(label)) throw shapeError(at, 'a label object with "name"', label);
    if (typeof label.name !== 'string') throw shapeError({ file, path: `[${i}].name` }, 'a label name (a string)', label.name);
    if (label.color !== undefined && typeof label.color !== 'string') throw shapeError({ file, path: `[${i}].color` }, 'a colour such as "#fa3253"', label.color);
    const extra: Record<string, string> = {};
    if (typeof label.type === 'string' && label.type !== 'any') extra.x_type = label.type;
    return { name: label.name, color: label.color as string | undefined, extra, place: at };
  });
}

/** The <labels> of a CVAT for images 1.1 document: meta/task, meta/project or meta/job. */
function labelsElement(root: XmlElement, file: string): XmlElement {
  if (root.name !== 'annotations') throw shapeError({ file, line: root.line, column: root.column }, 'an <annotations> root (CVAT for images 1.1)', `<${root.name}>`);
  const meta = childrenNamed(root, 'meta')[0];
  if (!meta) throw shapeError({ file, line: root.line, column: root.column, path: 'annotations/meta' }, 'a <meta> element with the labels', 'none');
  for (const holder of ['task', 'project', 'job']) {
    const labels = childrenNamed(meta, holder).flatMap((h) => childrenNamed(h, 'labels'))[0];
    if (labels) return labels;
  }
  throw shapeError({ file, line: meta.line, column: meta.column, path: 'annotations/meta' }, '<labels> in <task>, <project> or <job>', 'none');
}

export function cvatXmlLabels(root: XmlElement, file: string): ToolLabel[] {
  return childrenNamed(labelsElement(root, file), 'label').map((label, i) => {
    const place = { file, line: label.line, column: label.column, path: `labels/label[${i + 1}]` };
    const name = childText(label, 'name');
    if (name === undefined) throw shapeError(place, 'a <name> in the <label>', 'none');
    const type = childText(label, 'type');
    const extra: Record<string, string> = {};
    if (type && type !== 'any') extra.x_type = type;
    return { name, color: childText(label, 'color'), extra, place };
  });
}

/** Counts the shapes of every <image> and <track> of the document. */
function countXmlShapes(root: XmlElement): LabelCounts {
  const counts = new LabelCounts();
  for (const item of root.children) {
    if (item.name === 'image') {
      counts.image();
      for (const shape of item.children) if (SHAPES.has(shape.name) && shape.attributes.label !== undefined) counts.add(shape.attributes.label);
    } else if (item.name === 'track' && item.attributes.label !== undefined) {
      // A track is one object over many frames: one instance.
      counts.image();
      counts.add(item.attributes.label);
    }
  }
  return counts;
}

function isXml(input: string): boolean {
  return /\.xml$/i.test(input);
}

export const cvat: Extractor = {
  id: 'cvat',
  title: 'CVAT project labels',
  input: 'CVAT labels: the label constructor JSON (cvat_labels.json), or a "CVAT for images 1.1" annotations.xml (labels from <meta>; --stats counts its shapes)',

  async detect(input: string): Promise<Detection> {
    try {
      if (isXml(input)) {
        const head = readHead(input, 'CVAT XML', 4096).toString('utf8');
        if (!/<annotations[\s>]/.test(head)) return { ok: false, reason: 'an .xml file without an <annotations> root near its start' };
        if (!/<version>\s*1\.1\s*<\/version>/.test(head)) return { ok: false, reason: 'an <annotations> XML without <version>1.1</version>' };
        return { ok: true, reason: 'a CVAT for images 1.1 XML (<annotations>, <version>1.1)' };
      }
      if (!/\.json$/i.test(input)) return { ok: false, reason: 'not a .json or .xml file' };
      const json = readToolJson(input, 'CVAT labels');
      if (!Array.isArray(json) || json.length === 0) return { ok: false, reason: 'not a JSON array of labels' };
      const first = json[0];
      if (!isRecord(first) || typeof first.name !== 'string' || !Array.isArray(first.attributes)) return { ok: false, reason: 'a JSON array whose first item has no "name" and "attributes" array' };
      return { ok: true, reason: `a CVAT label constructor array of ${json.length} labels` };
    } catch (error) {
      return rejectedBy(error);
    }
  },

  async extract(input: string, options: ExtractOptions): Promise<Extraction> {
    const notes: string[] = [];
    let labels: ToolLabel[];
    let counts: LabelCounts | undefined;
    if (isXml(input)) {
      const root = parseXmlTree(decodeText(readBytes(input, 'CVAT XML', TOOL_MAX_BYTES), input, 'CVAT XML'), input);
      labels = cvatXmlLabels(root, input);
      if (options.stats) counts = countXmlShapes(root);
      notes.push(`read ${labels.length} labels from the <meta> of ${path.basename(input)}`);
    } else {
      labels = cvatJsonLabels(readToolJson(input, 'CVAT labels'), input);
      notes.push(`read ${labels.length} labels from ${path.basename(input)}`);
      if (options.stats) notes.push('--stats: a labels JSON has no annotations (pass the CVAT for images XML to count shapes)');
    }
    const rows = toolRows(labels, input, options.firstId);
    notes.push(positionsNote(options.firstId));
    if (rows.some((r) => r.extra.x_type)) notes.push('each label\'s shape type is kept as x_type');
    if (counts) notes.push(...counts.apply(rows));
    return { name: 'cvat', rows, notes };
  },
};
