// Labelbox ontology JSON (the ontology's JSON export, or the `normalized` ontology of the SDK):
//
//   {"tools": [{"name": "car", "tool": "rectangle", "color": "#FF0000", "featureSchemaId": "ckq...",
//               "classifications": [{"name": "occluded", "type": "radio", "options": [...]}]}],
//    "classifications": [{"name": "weather", "instructions": "Weather", "type": "radio",
//                         "options": [{"label": "sunny", "value": "sunny"}]}]}
//
// The tools are the classes (ids = positions, --first-id), the tool kind as x_tool. A tool's
// nested classifications are attributes, not classes: a note names them. An ontology without
// tools (a classification project) has its global classifications' options as the classes,
// `category` = the classification's name.
import path from 'node:path';
import { describeJson, isRecord, positionsNote, readToolJson, shapeError, toolRows, type ToolLabel } from './lib/annotation-tools.js';
import { rejectedBy } from './lib/detection.js';
import type { Detection, ExtractOptions, Extraction, Extractor } from './types.js';

function arrayAt(json: Record<string, unknown>, key: string, file: string): unknown[] {
  const v = json[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw shapeError({ file, path: key }, `an array of ${key}`, v);
  return v;
}

function textOf(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

export interface LabelboxLabels {
  labels: ToolLabel[];
  /** Whether the labels are classification options (no tools). */
  fromClassifications: boolean;
  /** Names of the tools' nested classifications (attributes). */
  attributes: string[];
}

export function labelboxLabels(json: unknown, file: string): LabelboxLabels {
  if (!isRecord(json) || (!Array.isArray(json.tools) && !Array.isArray(json.classifications))) {
    throw shapeError({ file, path: isRecord(json) ? 'tools' : '$' }, 'a Labelbox ontology {"tools": [{"name", "tool", "color"}], "classifications": [...]}', isRecord(json) ? json.tools : json);
  }
  const attributes = new Set<string>();
  const tools = arrayAt(json, 'tools', file).map((tool, i): ToolLabel => {
    const at = `tools[${i}]`;
    if (!isRecord(tool)) throw shapeError({ file, path: at }, 'a tool {"name", "tool", "color"}', tool);
    const name = textOf(tool.name);
    if (!name) throw shapeError({ file, path: `${at}.name` }, 'a tool name', tool.name);
    if (tool.tool !== undefined && typeof tool.tool !== 'string') throw shapeError({ file, path: `${at}.tool` }, 'a tool kind such as "rectangle"', tool.tool);
    if (tool.color !== undefined && typeof tool.color !== 'string') throw shapeError({ file, path: `${at}.color` }, 'a colour "#rrggbb"', tool.color);
    for (const c of arrayAt(tool, 'classifications', file)) {
      const n = isRecord(c) ? textOf(c.name) ?? textOf(c.instructions) : undefined;
      if (n) attributes.add(n);
    }
    return { name, color: tool.color as string | undefined, extra: tool.tool ? { x_tool: tool.tool as string } : {}, place: { file, path: `${at}.name` } };
  });
  if (tools.length > 0) return { labels: tools, fromClassifications: false, attributes: [...attributes] };
  const options: ToolLabel[] = [];
  arrayAt(json, 'classifications', file).forEach((c, i) => {
    const at = `classifications[${i}]`;
    if (!isRecord(c)) throw shapeError({ file, path: at }, 'a classification {"name", "type", "options"}', c);
    const category = textOf(c.name) ?? textOf(c.instructions) ?? '';
    arrayAt(c, 'options', file).forEach((o, k) => {
      const name = isRecord(o) ? textOf(o.value) ?? textOf(o.label) : undefined;
      if (!name) throw shapeError({ file, path: `${at}.options[${k}]` }, 'an option {"label", "value"}', o);
      const label = isRecord(o) ? textOf(o.label) : undefined;
      options.push({ name, display_name: label && label !== name ? label : '', category, place: { file, path: `${at}.options[${k}]` } });
    });
  });
  return { labels: options, fromClassifications: true, attributes: [] };
}

export const labelbox: Extractor = {
  id: 'labelbox',
  title: 'Labelbox ontology',
  input: 'a Labelbox ontology JSON (tools[].name/tool/color; without tools, the classification options)',

  async detect(input: string): Promise<Detection> {
    if (!/\.json$/i.test(input)) return { ok: false, reason: 'not a .json file' };
    try {
      const json = readToolJson(input, 'Labelbox ontology');
      if (!isRecord(json)) return { ok: false, reason: `JSON ${describeJson(json)}, not an ontology object` };
      const tools = json.tools;
      if (Array.isArray(tools) && (tools.length === 0 || (isRecord(tools[0]) && 'tool' in tools[0]))) {
        return Array.isArray(json.classifications) ? { ok: true, reason: 'a JSON object with "tools" ({name, tool, ...}) and "classifications" (Labelbox ontology)' } : { ok: false, reason: '"tools" but no "classifications" array' };
      }
      return { ok: false, reason: 'no "tools" array of {name, tool, ...}' };
    } catch (error) {
      return rejectedBy(error);
    }
  },

  async extract(input: string, options: ExtractOptions): Promise<Extraction> {
    const { labels, fromClassifications, attributes } = labelboxLabels(readToolJson(input, 'Labelbox ontology'), input);
    if (labels.length === 0) throw shapeError({ file: input, path: 'tools' }, 'at least one tool (or classification option)', []);
    const rows = toolRows(labels, input, options.firstId);
    const notes = [
      fromClassifications ? `no tools: the ${rows.length} options of the global classifications are the classes (category = the classification)` : `read the ${rows.length} tools of ${path.basename(input)} (the tool kind as x_tool)`,
      positionsNote(options.firstId),
    ];
    if (attributes.length > 0) notes.push(`the tools' nested classifications are attributes, not classes: ${attributes.join(', ')}`);
    if (options.stats) notes.push('--stats: an ontology has no annotations');
    return { name: 'labelbox', rows, notes };
  },
};
