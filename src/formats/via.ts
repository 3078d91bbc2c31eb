// VGG Image Annotator (VIA 2): the classes are the options of a region attribute, read from
//
//   the attributes file ("Project > Export region/file attributes"; what `labelmap export
//   --format via` writes):
//     {"region": {"class": {"type": "dropdown", "description": "", "options": {"car": "car"}, "default_options": {}}}, "file": {}}
//
//   or a VIA 2 project JSON ("Project > Save"), whose `_via_attributes` is that object and whose
//   `_via_img_metadata` holds the regions (--stats counts them):
//     {"_via_settings": {...}, "_via_img_metadata": {"a.jpg123": {"filename": "a.jpg", "regions": [
//        {"shape_attributes": {...}, "region_attributes": {"class": "car"}}]}}, "_via_attributes": {...}}
//
// The option key is the value VIA stores and so the class name; an option's description, when it
// differs, is the display_name. The class attribute is the one named class, label, category, type
// or name, else the only region attribute with options. Ids are option positions (--first-id).
import path from 'node:path';
import { describeJson, isRecord, LabelCounts, positionsNote, readToolJson, shapeError, toolRows, type ToolLabel } from './lib/annotation-tools.js';
import { rejectedBy } from './lib/detection.js';
import { LabelmapError } from '../findings.js';
import type { Detection, ExtractOptions, Extraction, Extractor } from './types.js';

const CLASS_ATTRIBUTES = ['class', 'label', 'category', 'type', 'name'];
const OPTION_TYPES = new Set(['dropdown', 'radio', 'checkbox']);

export interface ViaLabels {
  attribute: string;
  labels: ToolLabel[];
  /** The other region attributes with options, not read. */
  others: string[];
}

/** The region attributes object of an attributes file or a project, and its JSON path. */
function regionAttributes(json: unknown, file: string): { region: Record<string, unknown>; at: string } {
  if (!isRecord(json)) throw shapeError({ file, path: '$' }, 'a VIA attributes object ({"region": ..., "file": ...}) or a VIA 2 project', json);
  const holder = isRecord(json._via_attributes) ? json._via_attributes : json;
  const at = holder === json ? 'region' : '_via_attributes.region';
  if (!isRecord(holder.region)) throw shapeError({ file, path: at }, 'the region attributes (an object of attribute name -> {"type", "options"})', holder.region);
  return { region: holder.region, at };
}

export function viaLabels(json: unknown, file: string): ViaLabels {
  const { region, at } = regionAttributes(json, file);
  const withOptions = Object.keys(region).filter((k) => {
    const a = region[k];
    return isRecord(a) && OPTION_TYPES.has(String(a.type)) && isRecord(a.options);
  });
  const attribute = withOptions.find((k) => CLASS_ATTRIBUTES.includes(k.toLowerCase())) ?? (withOptions.length === 1 ? withOptions[0] : undefined);
  if (attribute === undefined) {
    throw new LabelmapError('label-json-shape', { file, path: at }, {
      expected: 'a region attribute of type dropdown, radio or checkbox with options, named class (or the only one)',
      found: withOptions.length === 0 ? `no such attribute (${Object.keys(region).length} region attributes)` : `several: ${withOptions.join(', ')}`,
      fix: 'name the class attribute "class" in VIA, or remove the others from the attributes file',
    });
  }
  const options = (region[attribute] as Record<string, unknown>).options as Record<string, unknown>;
  const labels = Object.entries(options).map(([key, description], i): ToolLabel => {
    const place = { file, path: `${at}.${attribute}.options.${key}` };
    if (typeof description !== 'string') throw shapeError(place, 'an option description (a string)', description);
    const display = description.trim();
    return { name: key, display_name: display !== key ? display : '', place: { ...place, path: `${place.path} (option ${i + 1})` } };
  });
  return { attribute, labels, others: withOptions.filter((k) => k !== attribute) };
}

/** Region counts of a VIA 2 project's `_via_img_metadata`. */
function countRegions(json: Record<string, unknown>, attribute: string, file: string): LabelCounts | undefined {
  const images = json._via_img_metadata;
  if (images === undefined) return undefined;
  if (!isRecord(images)) throw shapeError({ file, path: '_via_img_metadata' }, 'an object of image key -> {"filename", "regions"}', images);
  const counts = new LabelCounts();
  for (const [key, image] of Object.entries(images)) {
    counts.image();
    const regions = isRecord(image) ? image.regions : undefined;
    if (!Array.isArray(regions)) throw shapeError({ file, path: `_via_img_metadata.${key}.regions` }, 'an array of regions', regions);
    for (const r of regions) {
      const value = isRecord(r) && isRecord(r.region_attributes) ? r.region_attributes[attribute] : undefined;
      if (typeof value === 'string' && value !== '') counts.add(value);
      else if (isRecord(value)) for (const [k, on] of Object.entries(value)) if (on === true) counts.add(k); // a checkbox
    }
  }
  return counts;
}

export const via: Extractor = {
  id: 'via',
  title: 'VGG Image Annotator (VIA 2)',
  input: 'a VIA 2 attributes JSON (via_attributes.json) or project JSON (the options of the "class" region attribute; --stats counts a project\'s regions)',

  async detect(input: string): Promise<Detection> {
    if (!/\.json$/i.test(input)) return { ok: false, reason: 'not a .json file' };
    try {
      const json = readToolJson(input, 'VIA JSON');
      if (!isRecord(json)) return { ok: false, reason: `JSON ${describeJson(json)}, not a VIA object` };
      if (isRecord(json._via_attributes)) return { ok: true, reason: 'a VIA 2 project (_via_attributes, _via_img_metadata)' };
      const keys = Object.keys(json).sort().join(',');
      if (keys === 'file,region' && isRecord(json.region)) return { ok: true, reason: 'a VIA attributes file ({"region", "file"})' };
      return { ok: false, reason: 'a JSON object with neither _via_attributes nor just "region" and "file"' };
    } catch (error) {
      return rejectedBy(error);
    }
  },

  async extract(input: string, options: ExtractOptions): Promise<Extraction> {
    const json = readToolJson(input, 'VIA JSON');
    const { attribute, labels, others } = viaLabels(json, input);
    const rows = toolRows(labels, input, options.firstId);
    const notes = [`read the ${rows.length} options of the region attribute "${attribute}" of ${path.basename(input)}`, positionsNote(options.firstId)];
    if (others.length > 0) notes.push(`other region attributes with options are not classes here: ${others.join(', ')}`);
    if (options.stats) {
      const counts = isRecord(json) ? countRegions(json, attribute, input) : undefined;
      notes.push(...(counts ? counts.apply(rows) : ['--stats: an attributes file has no regions (pass the VIA project JSON to count them)']));
    }
    return { name: 'via', rows, notes };
  },
};
