// Open Images: the class hierarchy `bbox_labels_600_hierarchy.json` with the names of
// `class-descriptions-boxable.csv` (MID,Name lines, read by the `names` reader):
//
//   {"LabelName": "/m/0bl9f",                                   the root, "Entity" (no class)
//    "Subcategory": [
//      {"LabelName": "/m/01g317"},                              a top-level class (Person)
//      {"LabelName": "/m/0138tl", "Subcategory": [{"LabelName": "/m/0dv9c"}, ...]},
//      {"LabelName": "/m/04hgtk", "Part": [{"LabelName": "/m/0dzct"}, ...]}]}   Human head, its parts
//
// The hierarchy gives no ids: they are the line positions of the class list (from --first-id,
// 0 unless told), as `labelmap extract names` gives them, so both sheets agree. A class keeps its
// MID as x_mid, its parent's name as `category` and the parent's MID as x_parent ("is a"); a
// `Part` entry gives x_part_of instead ("part of": a Human eye is no kind of Human face). A class
// listed under two parents keeps both, `;`-joined; the first parent names the category.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { LabelmapError } from '../findings.js';
import type { DatasetClass } from '../sheets/schema.js';
import { isRecord, readToolJson, shapeError } from './lib/annotation-tools.js';
import { rejectedBy } from './lib/detection.js';
import { readHead } from '../io/index.js';
import { readClassList } from './names.js';
import type { Detection, ExtractOptions, Extraction, Extractor } from './types.js';

/** The real hierarchy is 5 levels deep; more than this is a damaged or hostile file. */
const MAX_HIERARCHY_DEPTH = 64;
const MID_RE = /^\/[mg]\/[0-9a-z_]+$/i;
/** The class list's names across releases: class-descriptions-boxable.csv, oidv6-class-descriptions-boxable.csv, ... */
const CLASS_LIST_RE = /class-descriptions-boxable\.csv$/i;

type Relation = 'Subcategory' | 'Part';

export interface HierarchyEdge {
  child: string;
  parent: string;
  relation: Relation;
  /** JSON path of the child's entry, for errors. */
  path: string;
}

/** The root MID and every parent-child edge of a hierarchy JSON value, in file order. Pure. */
export function hierarchyEdges(json: unknown, file: string): { root: string; edges: HierarchyEdge[] } {
  if (!isRecord(json) || typeof json.LabelName !== 'string') {
    throw shapeError({ file, path: isRecord(json) ? 'LabelName' : '$' }, 'an Open Images hierarchy object {"LabelName": "/m/0bl9f", "Subcategory": [...]}', isRecord(json) ? json.LabelName : json);
  }
  const edges: HierarchyEdge[] = [];
  const seen = new Map<string, string>();
  // Iterative, depth-first in file order; `ancestors` is short (the depth is bounded).
  const stack: { node: Record<string, unknown>; path: string; ancestors: string[] }[] = [{ node: json, path: '$', ancestors: [] }];
  while (stack.length > 0) {
    const { node, path: at, ancestors } = stack.pop()!;
    const mid = node.LabelName;
    if (typeof mid !== 'string' || !MID_RE.test(mid)) throw shapeError({ file, path: `${at}.LabelName` }, 'an Open Images MID such as "/m/011k07"', mid);
    if (ancestors.includes(mid)) throw shapeError({ file, path: `${at}.LabelName` }, 'a class that is not its own ancestor', mid);
    if (ancestors.length >= MAX_HIERARCHY_DEPTH) throw shapeError({ file, path: at }, `a hierarchy at most ${MAX_HIERARCHY_DEPTH} levels deep`, `level ${ancestors.length + 1}`);
    const children: { node: Record<string, unknown>; path: string; ancestors: string[] }[] = [];
    for (const relation of ['Subcategory', 'Part'] as const) {
      const list = node[relation];
      if (list === undefined) continue;
      if (!Array.isArray(list)) throw shapeError({ file, path: `${at}.${relation}` }, `an array of {"LabelName": ...}`, list);
      list.forEach((child: unknown, i) => {
        const childPath = `${at}.${relation}[${i}]`;
        if (!isRecord(child)) throw shapeError({ file, path: childPath }, 'an object {"LabelName": ...}', child);
        const childMid = child.LabelName;
        if (typeof childMid === 'string') {
          const key = `${mid} ${relation} ${childMid}`;
          const first = seen.get(key);
          if (first !== undefined) {
            throw new LabelmapError('labels-duplicate', { file, path: childPath }, { key: 'MID', value: childMid, name: childMid, other: childMid, firstPlace: `${first}, under the same ${mid}` });
          }
          seen.set(key, childPath);
          edges.push({ child: childMid, parent: mid, relation, path: childPath });
        }
        children.push({ node: child, path: childPath, ancestors: [...ancestors, mid] });
      });
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return { root: json.LabelName, edges };
}

/**
 * The class list's rows with the hierarchy put on them. A hierarchy MID missing from the list is
 * an error at its JSON path; list classes outside the hierarchy stay, without a parent.
 */
export function openImagesRows(classes: readonly DatasetClass[], hierarchy: { root: string; edges: readonly HierarchyEdge[] }, file: string, listFile: string): { rows: DatasetClass[]; outside: string[] } {
  const byMid = new Map<string, DatasetClass>();
  for (const row of classes) byMid.set(row.extra.x_mid!, row);
  const parents = new Map<string, { relation: Relation; mid: string }[]>();
  for (const edge of hierarchy.edges) {
    if (!byMid.has(edge.child)) {
      throw new LabelmapError('unknown-label', { file, path: `${edge.path}.LabelName` }, { label: edge.child, source: path.basename(listFile), flag: '--labels class-descriptions-boxable.csv' });
    }
    const list = parents.get(edge.child) ?? [];
    list.push({ relation: edge.relation, mid: edge.parent });
    parents.set(edge.child, list);
  }
  const outside: string[] = [];
  const rows = classes.map((row) => {
    const mid = row.extra.x_mid!;
    const of = parents.get(mid) ?? [];
    if (of.length === 0 && mid !== hierarchy.root) outside.push(row.name);
    // The root (Entity) is no class of the list: a top-level class has no parent.
    const classParents = (relation: Relation) => of.filter((p) => p.relation === relation && p.mid !== hierarchy.root).map((p) => p.mid);
    const isA = classParents('Subcategory');
    const partOf = classParents('Part');
    const extra: Record<string, string> = { ...row.extra, x_parent: isA.join(';'), x_part_of: partOf.join(';') };
    const firstParent = isA[0] ?? partOf[0];
    return { ...row, category: firstParent ? byMid.get(firstParent)!.name : '', extra };
  });
  return { rows, outside };
}

/** The class list: --labels, else class-descriptions-boxable.csv (any release prefix) beside the hierarchy. */
function classListFile(input: string, options: ExtractOptions): string {
  if (options.labels !== undefined) return options.labels;
  const dir = path.dirname(input);
  for (const name of ['class-descriptions-boxable.csv', 'oidv7-class-descriptions-boxable.csv', 'oidv6-class-descriptions-boxable.csv']) {
    if (existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  throw new LabelmapError('labels-source-missing', { file: input }, { what: 'the hierarchy has MIDs only, and no class-descriptions-boxable.csv is beside it', example: 'class-descriptions-boxable.csv' });
}

export const openImages: Extractor = {
  id: 'openimages',
  title: 'Open Images',
  input: 'Open Images bbox_labels_600_hierarchy.json, names from class-descriptions-boxable.csv (--labels, or beside it)',

  async detect(input: string): Promise<Detection> {
    if (!/\.json$/i.test(input)) return { ok: false, reason: 'not a .json file' };
    try {
      const head = new TextDecoder('utf-8').decode(readHead(input, 'Open Images hierarchy', 4096));
      return /^\s*\{\s*"LabelName"\s*:\s*"\/[mg]\//.test(head)
        ? { ok: true, reason: 'a JSON object that starts with "LabelName": "/m/..." (Open Images hierarchy)' }
        : { ok: false, reason: 'no JSON object starting with "LabelName": "/m/..."' };
    } catch (error) {
      return rejectedBy(error);
    }
  },

  async extract(input: string, options: ExtractOptions): Promise<Extraction> {
    const hierarchy = hierarchyEdges(readToolJson(input, 'Open Images hierarchy'), input);
    const listFile = classListFile(input, options);
    const list = readClassList(listFile, { firstId: options.firstId });
    if (list.rows.some((r) => r.extra.x_mid === undefined)) {
      throw new LabelmapError('class-list-line', { file: listFile, line: list.lines[0] }, { expected: '"MID,Name" lines (/m/011k07,Tortoise)', found: `${list.rows[0] ? JSON.stringify(list.rows[0].name.slice(0, 60)) : 'no MID'}`, fix: 'pass class-descriptions-boxable.csv as published (comma-separated)' });
    }
    const midLine = new Map<string, number>();
    list.rows.forEach((r, i) => {
      const first = midLine.get(r.extra.x_mid!);
      if (first !== undefined) throw new LabelmapError('labels-duplicate', { file: listFile, line: list.lines[i] }, { key: 'MID', value: r.extra.x_mid, name: r.name, other: list.rows.find((o) => o.extra.x_mid === r.extra.x_mid)!.name, firstPlace: `line ${first}` });
      midLine.set(r.extra.x_mid!, list.lines[i]!);
    });
    const { rows, outside } = openImagesRows(list.rows, hierarchy, input, listFile);
    const notes = [
      `read ${rows.length} classes from ${path.basename(listFile)}, the hierarchy from ${path.basename(input)}; ids are line positions from ${options.firstId ?? 0} (Open Images has MIDs, no ids; the MID is x_mid)`,
      'category = the parent class (empty under the root), x_parent = the parent MIDs ("is a"), x_part_of = the MIDs a class is a Part of',
    ];
    const multi = rows.filter((r) => r.extra.x_parent!.includes(';')).length;
    if (multi > 0) notes.push(`${multi} classes have more than one parent (all kept in x_parent, the first names the category)`);
    if (outside.length > 0) notes.push(`${outside.length} classes are not in the hierarchy (${outside.slice(0, 5).join(', ')}${outside.length > 5 ? ', ...' : ''})`);
    if (options.stats) notes.push('--stats: the hierarchy and class list have no counts');
    return { name: 'open-images', rows, notes };
  },
};
