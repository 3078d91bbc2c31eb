// VoTT (Microsoft Visual Object Tagging Tool 2) project file `<name>.vott`:
//
//   {"name": "traffic", "securityToken": "traffic Token", "sourceConnection": {...},
//    "targetConnection": {...}, "tags": [{"name": "car", "color": "#5db300"}], "version": "2.2.0", ...}
//
// The tags are the classes, in order (ids = positions, --first-id), with their colours. VoTT keeps
// each asset's regions beside the project, in the target folder, as `<asset id>-asset.json`
// ({"asset": {...}, "regions": [{"tags": ["car"], ...}]}); --stats counts those in the .vott's folder.
import path from 'node:path';
import { describeJson, isRecord, LabelCounts, positionsNote, readToolJson, shapeError, toolRows, type ToolLabel } from './lib/annotation-tools.js';
import { rejectedBy } from './lib/detection.js';
import { findFiles } from './lib/polygon-folders.js';
import type { Detection, ExtractOptions, Extraction, Extractor } from './types.js';

export function vottLabels(json: unknown, file: string): ToolLabel[] {
  if (!isRecord(json) || !Array.isArray(json.tags)) throw shapeError({ file, path: isRecord(json) ? 'tags' : '$' }, 'a VoTT project {"name", "tags": [{"name", "color"}], ...}', isRecord(json) ? json.tags : json);
  if (json.tags.length === 0) throw shapeError({ file, path: 'tags' }, 'at least one tag', json.tags);
  return json.tags.map((tag: unknown, i: number): ToolLabel => {
    const at = `tags[${i}]`;
    if (!isRecord(tag) || typeof tag.name !== 'string') throw shapeError({ file, path: isRecord(tag) ? `${at}.name` : at }, 'a tag {"name", "color"}', isRecord(tag) ? tag.name : tag);
    if (tag.color !== undefined && typeof tag.color !== 'string') throw shapeError({ file, path: `${at}.color` }, 'a colour "#rrggbb"', tag.color);
    return { name: tag.name, color: tag.color as string | undefined, place: { file, path: `${at}.name` } };
  });
}

/** Regions per tag of the `*-asset.json` files beside the project, or undefined when there are none. */
function countAssets(dir: string): { counts: LabelCounts; files: number } | undefined {
  const files = findFiles(dir, (rel) => !rel.includes('/') && rel.endsWith('-asset.json'));
  if (files.length === 0) return undefined;
  const counts = new LabelCounts();
  for (const file of files) {
    counts.image();
    const json = readToolJson(file, 'VoTT asset file');
    const regions = isRecord(json) ? json.regions : undefined;
    if (!Array.isArray(regions)) throw shapeError({ file, path: 'regions' }, 'an array of regions {"tags": [...]}', regions);
    regions.forEach((region: unknown, i: number) => {
      const tags = isRecord(region) ? region.tags : undefined;
      if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) throw shapeError({ file, path: `regions[${i}].tags` }, 'an array of tag names', tags);
      for (const t of tags as string[]) counts.add(t);
    });
  }
  return { counts, files: files.length };
}

export const vott: Extractor = {
  id: 'vott',
  title: 'VoTT project',
  input: 'a VoTT 2 project file (<name>.vott: tags[].name/color; --stats counts the *-asset.json regions beside it)',

  async detect(input: string): Promise<Detection> {
    if (!/\.vott$/i.test(input)) return { ok: false, reason: 'not a .vott file' };
    try {
      const json = readToolJson(input, 'VoTT project');
      if (!isRecord(json)) return { ok: false, reason: `JSON ${describeJson(json)}, not a VoTT project` };
      return Array.isArray(json.tags) ? { ok: true, reason: 'a .vott project with "tags"' } : { ok: false, reason: 'a .vott file without a "tags" array' };
    } catch (error) {
      return rejectedBy(error);
    }
  },

  async extract(input: string, options: ExtractOptions): Promise<Extraction> {
    const json = readToolJson(input, 'VoTT project');
    const rows = toolRows(vottLabels(json, input), input, options.firstId);
    const projectName = isRecord(json) && typeof json.name === 'string' ? json.name : '';
    const notes = [`read the ${rows.length} tags of the VoTT project ${projectName ? JSON.stringify(projectName) : path.basename(input)}`, positionsNote(options.firstId)];
    if (options.stats) {
      const assets = countAssets(path.dirname(input));
      notes.push(...(assets ? [`counted the regions of ${assets.files} *-asset.json files beside the project`, ...assets.counts.apply(rows)] : ['--stats: no *-asset.json files beside the project (VoTT writes them to the target connection folder)']));
    }
    return { name: 'vott', rows, notes };
  },
};
