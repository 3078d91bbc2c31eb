// What changed between two versions of a sheet, two sheet sets, or two compiled lookup tables,
// each change with the bump it demands. Changes are data; `describeChange` is their one text form.
// Pure: rows in, changes out (the sheets/ edge reads files and git revisions).
import { KIND_DIRS, type AttributeMappingRow, type AttributeRuleRow, type AttributeValueRow, type DatasetClass, type MappingRow, type RowOf, type SheetKind, type TaxonomyClass, type VerticalRow } from '../sheets/schema.js';
import { LabelmapError } from '../findings.js';
import { actualBump, isBumpEnough, levelOf, requiredBump, type ActualBump, type Level, type RuleId } from './bump.js';

export type ChangeKind =
  | 'added'
  | 'removed'
  /** Same id (dataset, taxonomy) or train id (vertical output class), new name. */
  | 'renamed'
  /** Same name, new id (dataset, taxonomy) or train id (vertical output class). */
  | 'renumbered'
  /** Another column of a matched row: `field` names it. */
  | 'attribute'
  /** A mapping row's target. */
  | 'retarget'
  | 'include-added'
  | 'include-removed'
  | 'include-moved'
  | 'sheet-added'
  | 'sheet-removed'
  /** A dataset id that lands on a different output train id in a compiled lookup table. */
  | 'lut-changed';

/**
 * One change. Values are cell text as the sheet holds it after reading (`""` = empty cell,
 * booleans `true`/`false`); `null` means "not there" (before of an added row, after of a removed one).
 */
export interface Change {
  /** `datasets/coco`, `verticals/self-driving`, or `compiled/<vertical>` for lookup-table effects. */
  sheet: string;
  kind: ChangeKind;
  level: Level;
  /** The BUMP_RULES entry that gives the level. */
  rule: RuleId;
  /**
   * The row: class name (dataset, taxonomy; the id for `renamed`), mapping source, output class
   * (the train id for `renamed`), taxonomy class for include changes, sheet name, or
   * `<dataset>:<id>` for a lookup-table row.
   */
  key: string;
  /** The column that changed (for added/removed rows: the column shown with the key). */
  field: string | null;
  before: string | null;
  after: string | null;
  /** Context for people: the native class name of a lookup-table row; otherwise null. */
  note: string | null;
}

type Cell = string | number | boolean | null | undefined;

function cell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

function change(sheet: string, kind: ChangeKind, rule: RuleId, key: string, field: string | null, before: Cell | null, after: Cell | null, note: string | null = null): Change {
  return {
    sheet,
    kind,
    level: levelOf(rule),
    rule,
    key,
    field,
    before: before === null ? null : cell(before),
    after: after === null ? null : cell(after),
    note,
  };
}

/** The label of a sheet in changes: `<kind folder>/<name>`. */
export function sheetLabel(kind: SheetKind, name: string): string {
  return `${KIND_DIRS[kind]}/${name}`;
}

// --- classes: dataset and taxonomy rows, matched by id and name ---------------------------------

interface FieldRule<T> {
  field: string;
  rule: RuleId;
  get: (row: T) => Cell;
}

const TEXT: RuleId = 'text-changed';

const DATASET_FIELDS: FieldRule<DatasetClass>[] = [
  { field: 'display_name', rule: TEXT, get: (r) => r.display_name },
  { field: 'category', rule: 'category-changed', get: (r) => r.category },
  { field: 'train_id', rule: 'train-id-changed', get: (r) => r.train_id },
  { field: 'color', rule: TEXT, get: (r) => r.color },
  { field: 'is_thing', rule: 'is-thing-changed', get: (r) => r.is_thing },
  { field: 'evaluate', rule: 'evaluate-changed', get: (r) => r.evaluate },
  { field: 'instances', rule: 'counts-changed', get: (r) => r.instances },
  { field: 'images', rule: 'counts-changed', get: (r) => r.images },
];

const TAXONOMY_FIELDS: FieldRule<TaxonomyClass>[] = [
  { field: 'parent', rule: 'parent-changed', get: (r) => r.parent },
  { field: 'display_name', rule: TEXT, get: (r) => r.display_name },
  { field: 'color', rule: TEXT, get: (r) => r.color },
  { field: 'is_thing', rule: 'is-thing-changed', get: (r) => r.is_thing },
  { field: 'description', rule: TEXT, get: (r) => r.description },
];

/** The `x_` columns of dataset rows, compared as extra fields. */
function extraFields(before: readonly DatasetClass[], after: readonly DatasetClass[]): FieldRule<DatasetClass>[] {
  const names = new Set<string>();
  for (const r of [...before, ...after]) for (const k of Object.keys(r.extra ?? {})) names.add(k);
  return [...names].sort().map((field) => ({ field, rule: 'extra-changed' as const, get: (r: DatasetClass) => r.extra?.[field] }));
}

interface Pair<T> {
  before: T;
  after: T;
}

/**
 * Matches rows of two versions: first the same (id, name); then the same name (renumbered); then
 * the same id (renamed). Name before id because mappings refer to classes by name: a class that
 * keeps its name is "the same class" even when both its id and a neighbour's change (a swap).
 * A same-id pair that `differs` calls two different classes is not a rename but a removal and an
 * addition: in datasets whose ids are list positions (Mapillary Vistas) a new class often lands on
 * the position of a removed one (v1.1 -> v2.0: id 35 `object--billboard` -> `marking--continuous--dashed`).
 */
function matchClasses<T extends { id: number; name: string }>(before: readonly T[], after: readonly T[], differs: (b: T, a: T) => boolean = () => false) {
  const pairs: Pair<T>[] = [];
  let restBefore = [...before];
  let restAfter = [...after];
  const step = (key: (r: T) => string, accept: (b: T, a: T) => boolean = () => true) => {
    const byKey = new Map<string, T>();
    for (const r of restAfter) if (!byKey.has(key(r))) byKey.set(key(r), r);
    const matched = new Set<T>();
    const left: T[] = [];
    for (const b of restBefore) {
      const a = byKey.get(key(b));
      if (a && !matched.has(a) && accept(b, a)) {
        matched.add(a);
        pairs.push({ before: b, after: a });
      } else left.push(b);
    }
    restBefore = left;
    restAfter = restAfter.filter((r) => !matched.has(r));
  };
  step((r) => `${r.id}\u0000${r.name}`);
  step((r) => r.name);
  step((r) => String(r.id), (b, a) => !differs(b, a));
  return { pairs, removed: restBefore, added: restAfter };
}

/** Both cells filled and different: evidence that two rows are different classes. */
const bothDiffer = (x: string, y: string) => x !== '' && y !== '' && x !== y;

/** A same-id dataset row is another class when its colour or its category differs. */
const datasetDiffers = (b: DatasetClass, a: DatasetClass) => bothDiffer(b.color, a.color) || bothDiffer(b.category, a.category);
/** A same-id taxonomy row is another class when its colour or its parent differs. */
const taxonomyDiffers = (b: TaxonomyClass, a: TaxonomyClass) => bothDiffer(b.color, a.color) || b.parent !== a.parent;

function diffClasses<T extends { id: number; name: string }>(
  sheet: string,
  before: readonly T[],
  after: readonly T[],
  fields: readonly FieldRule<T>[],
  differs?: (b: T, a: T) => boolean,
): Change[] {
  const { pairs, removed, added } = matchClasses(before, after, differs);
  const out: { order: number; change: Change }[] = [];
  for (const { before: b, after: a } of pairs) {
    if (b.name !== a.name) out.push({ order: a.id, change: change(sheet, 'renamed', 'class-renamed', String(a.id), 'name', b.name, a.name) });
    if (b.id !== a.id) out.push({ order: a.id, change: change(sheet, 'renumbered', 'class-renumbered', a.name, 'id', b.id, a.id) });
    for (const f of fields) {
      const x = cell(f.get(b));
      const y = cell(f.get(a));
      if (x !== y) out.push({ order: a.id, change: change(sheet, 'attribute', f.rule, a.name, f.field, x, y) });
    }
  }
  for (const r of removed) out.push({ order: r.id, change: change(sheet, 'removed', 'class-removed', r.name, 'id', r.id, null) });
  for (const r of added) out.push({ order: r.id, change: change(sheet, 'added', 'class-added', r.name, 'id', null, r.id) });
  // Stable sort: by id, and within one id in the order the changes were found.
  return out.sort((x, y) => x.order - y.order).map((x) => x.change);
}

// --- mapping rows, keyed by source ----------------------------------------------------------------

function diffMappings(sheet: string, before: readonly MappingRow[], after: readonly MappingRow[]): Change[] {
  const old = new Map(before.map((r) => [r.source, r]));
  const now = new Set(after.map((r) => r.source));
  const out: Change[] = [];
  for (const a of after) {
    const b = old.get(a.source);
    if (!b) {
      out.push(change(sheet, 'added', 'mapping-added', a.source, 'target', null, a.target));
      continue;
    }
    if (b.target !== a.target) out.push(change(sheet, 'retarget', 'mapping-retarget', a.source, 'target', b.target, a.target));
    if (b.note !== a.note) out.push(change(sheet, 'attribute', TEXT, a.source, 'note', b.note, a.note));
    if ((b.contains ?? '') !== (a.contains ?? '')) out.push(change(sheet, 'attribute', 'mapping-contains-changed', a.source, 'contains', b.contains ?? '', a.contains ?? ''));
  }
  for (const b of before) if (!now.has(b.source)) out.push(change(sheet, 'removed', 'mapping-removed', b.source, 'target', b.target, null));
  return out;
}

// --- attribute sheets: rows keyed by key=value (vocabulary, rules) or source_key=source_value ------

const attributeKey = (key: string, value: string) => `${key}=${value}`;

/**
 * Rows of two versions matched by a key; `fields` are compared for matched rows. A value has no
 * id, so a renamed value is a removal and an addition (major, as a rename is).
 */
function diffKeyedRows<T>(
  sheet: string,
  before: readonly T[],
  after: readonly T[],
  keyOf: (r: T) => string,
  shown: { field: string; get: (r: T) => Cell; added: RuleId; removed: RuleId },
  fields: readonly FieldRule<T>[],
): Change[] {
  const old = new Map(before.map((r) => [keyOf(r), r]));
  const now = new Set(after.map(keyOf));
  const out: Change[] = [];
  for (const a of after) {
    const b = old.get(keyOf(a));
    if (!b) {
      out.push(change(sheet, 'added', shown.added, keyOf(a), shown.field, null, shown.get(a)));
      continue;
    }
    for (const f of fields) {
      const x = cell(f.get(b));
      const y = cell(f.get(a));
      if (x !== y) out.push(change(sheet, f.rule === 'mapping-retarget' ? 'retarget' : 'attribute', f.rule, keyOf(a), f.field, x, y));
    }
  }
  for (const b of before) if (!now.has(keyOf(b))) out.push(change(sheet, 'removed', shown.removed, keyOf(b), shown.field, shown.get(b), null));
  return out;
}

function diffAttributeValues(sheet: string, before: readonly AttributeValueRow[], after: readonly AttributeValueRow[]): Change[] {
  return diffKeyedRows(sheet, before, after, (r) => attributeKey(r.key, r.value), {
    field: 'value', get: (r) => r.value, added: 'attribute-value-added', removed: 'attribute-value-removed',
  }, [
    { field: 'display_name', rule: TEXT, get: (r) => r.display_name },
    { field: 'description', rule: TEXT, get: (r) => r.description },
  ]);
}

function diffAttributeMappings(sheet: string, before: readonly AttributeMappingRow[], after: readonly AttributeMappingRow[]): Change[] {
  const target = (r: AttributeMappingRow) => attributeKey(r.key, r.value);
  return diffKeyedRows(sheet, before, after, (r) => attributeKey(r.source_key, r.source_value), {
    field: 'target', get: target, added: 'mapping-added', removed: 'mapping-removed',
  }, [
    { field: 'target', rule: 'mapping-retarget', get: target },
    { field: 'note', rule: TEXT, get: (r) => r.note },
  ]);
}

function diffAttributeRules(sheet: string, before: readonly AttributeRuleRow[], after: readonly AttributeRuleRow[]): Change[] {
  const ruleField = (field: 'when' | 'classes' | 'min' | 'max'): FieldRule<AttributeRuleRow> => ({ field, rule: 'attribute-rule-changed', get: (r) => r[field] });
  return diffKeyedRows(sheet, before, after, (r) => attributeKey(r.key, r.value), {
    field: 'when', get: (r) => r.when, added: 'attribute-value-added', removed: 'attribute-value-removed',
  }, [ruleField('when'), ruleField('classes'), ruleField('min'), ruleField('max'), { field: 'note', rule: TEXT, get: (r) => r.note }]);
}

// --- vertical sheets: output classes and their includes -------------------------------------------

import { outputClassesOf, type OutputClass } from '../taxonomy/resolve.js';

export { outputClassesOf, type OutputClass };

function diffVerticals(sheet: string, before: readonly VerticalRow[], after: readonly VerticalRow[]): Change[] {
  const old = outputClassesOf(before);
  const now = outputClassesOf(after);
  const out: Change[] = [];
  // Match output classes by name, then by train id (a rename).
  const nowByName = new Map(now.map((c) => [c.name, c]));
  const pairs: Pair<OutputClass>[] = [];
  let removed: OutputClass[] = [];
  for (const b of old) {
    const a = nowByName.get(b.name);
    if (a) pairs.push({ before: b, after: a });
    else removed.push(b);
  }
  const paired = new Set(pairs.map((p) => p.after));
  let added = now.filter((c) => !paired.has(c));
  const addedById = new Map(added.map((c) => [c.train_id, c]));
  const renamed: Pair<OutputClass>[] = [];
  removed = removed.filter((b) => {
    const a = addedById.get(b.train_id);
    if (!a) return true;
    addedById.delete(b.train_id);
    renamed.push({ before: b, after: a });
    return false;
  });
  const renamedTo = new Set(renamed.map((p) => p.after));
  added = added.filter((c) => !renamedTo.has(c));

  const newName = new Map<string, string>();
  for (const { before: b, after: a } of [...pairs, ...renamed]) newName.set(b.name, a.name);
  const matched = [...pairs, ...renamed].sort((x, y) => x.after.train_id - y.after.train_id);
  for (const { before: b, after: a } of matched) {
    if (b.name !== a.name) out.push(change(sheet, 'renamed', 'output-renamed', String(a.train_id), 'class', b.name, a.name));
    if (b.train_id !== a.train_id) out.push(change(sheet, 'renumbered', 'output-renumbered', a.name, 'train_id', b.train_id, a.train_id));
    if (b.color !== a.color) out.push(change(sheet, 'attribute', TEXT, a.name, 'color', b.color, a.color));
  }
  for (const c of added.sort((x, y) => x.train_id - y.train_id)) out.push(change(sheet, 'added', 'output-added', c.name, 'train_id', null, c.train_id));
  for (const c of removed) out.push(change(sheet, 'removed', 'output-removed', c.name, 'train_id', c.train_id, null));

  // Includes: which output class each taxonomy class goes to, old names carried through renames.
  // Includes of a class added or removed as a whole are covered by that change.
  const oldHome = new Map<string, string>();
  for (const c of old) for (const inc of c.includes) if (!oldHome.has(inc)) oldHome.set(inc, newName.get(c.name) ?? `\u0000${c.name}`);
  const newHome = new Map<string, string>();
  for (const c of now) for (const inc of c.includes) if (!newHome.has(inc)) newHome.set(inc, c.name);
  const kept = new Set(newName.values());
  const includes = [...new Set([...oldHome.keys(), ...newHome.keys()])].sort();
  for (const inc of includes) {
    const from = oldHome.get(inc);
    const to = newHome.get(inc);
    const fromShown = from?.startsWith('\u0000') ? from.slice(1) : from;
    if (from !== undefined && to !== undefined) {
      if (from !== to) out.push(change(sheet, 'include-moved', 'include-moved', inc, 'class', fromShown, to));
    } else if (from !== undefined) {
      if (kept.has(from)) out.push(change(sheet, 'include-removed', 'include-removed', inc, 'class', fromShown, null));
    } else if (to !== undefined && kept.has(to)) {
      out.push(change(sheet, 'include-added', 'include-added', inc, 'class', null, to));
    }
  }
  return out;
}

// --- one sheet ------------------------------------------------------------------------------------

/**
 * Every change between two versions of one sheet, each with its level. `sheet` labels the
 * changes (`datasets/coco`). Rows are typed rows as read by src/sheets (for a dataset sheet, the
 * rows `labelmap extract` builds can be passed directly).
 */
export function diffSheets<K extends SheetKind>(kind: K, before: readonly RowOf[K][], after: readonly RowOf[K][], sheet = ''): Change[] {
  switch (kind) {
    case 'dataset': {
      const b = before as readonly DatasetClass[];
      const a = after as readonly DatasetClass[];
      return diffClasses(sheet, b, a, [...DATASET_FIELDS, ...extraFields(b, a)], datasetDiffers);
    }
    case 'taxonomy':
      return diffClasses(sheet, before as readonly TaxonomyClass[], after as readonly TaxonomyClass[], TAXONOMY_FIELDS, taxonomyDiffers);
    case 'mapping':
      return diffMappings(sheet, before as readonly MappingRow[], after as readonly MappingRow[]);
    case 'vertical':
      return diffVerticals(sheet, before as readonly VerticalRow[], after as readonly VerticalRow[]);
    case 'attributes':
      return diffAttributeValues(sheet, before as readonly AttributeValueRow[], after as readonly AttributeValueRow[]);
    case 'attribute-mapping':
      return diffAttributeMappings(sheet, before as readonly AttributeMappingRow[], after as readonly AttributeMappingRow[]);
    case 'attribute-rule':
      return diffAttributeRules(sheet, before as readonly AttributeRuleRow[], after as readonly AttributeRuleRow[]);
    default:
      throw new Error(`diffSheets: unknown sheet kind ${String(kind)}`);
  }
}

// --- compiled lookup tables -----------------------------------------------------------------------

/** One row of a compiled lookup table: dataset class -> output train id. */
export interface LutRow {
  dataset: string;
  /** Native id. */
  id: number;
  /** Native class name. */
  name: string;
  train_id: number;
}

/** The lookup tables of one compiled label set (a vertical, or null for the whole taxonomy). */
export interface CompiledLut {
  vertical: string | null;
  /** The train id that means "ignore" (255 for a vertical, 65535 for 16-bit label sets). */
  ignore_id: number;
  rows: LutRow[];
}

/**
 * Which dataset ids land on a different output train id. Takes the compiled tables as plain data,
 * so it does not depend on how they were compiled (see `compiledFromBundle` in compiled.ts).
 */
export function diffLuts(before: CompiledLut, after: CompiledLut, sheet = `compiled/${after.vertical ?? 'taxonomy'}`): Change[] {
  const key = (r: LutRow) => `${r.dataset}:${r.id}`;
  const old = new Map(before.rows.map((r) => [key(r), r]));
  const seen = new Set<string>();
  const out: Change[] = [];
  const shown = (id: number, ignore: number) => (id === ignore ? 'ignore' : id);
  for (const a of after.rows) {
    const k = key(a);
    seen.add(k);
    const b = old.get(k);
    const to = shown(a.train_id, after.ignore_id);
    if (!b) {
      out.push(change(sheet, 'lut-changed', 'lut-added', k, 'train_id', null, to, a.name));
      continue;
    }
    const from = shown(b.train_id, before.ignore_id);
    if (from === to) continue;
    const rule: RuleId = from === 'ignore' ? 'lut-labelled' : to === 'ignore' ? 'lut-ignored' : 'lut-moved';
    out.push(change(sheet, 'lut-changed', rule, k, 'train_id', from, to, a.name));
  }
  for (const b of before.rows) {
    const k = key(b);
    if (!seen.has(k)) out.push(change(sheet, 'lut-changed', 'lut-removed', k, 'train_id', shown(b.train_id, before.ignore_id), null, b.name));
  }
  return out.sort((x, y) => {
    const [dx, ix] = splitLutKey(x.key);
    const [dy, iy] = splitLutKey(y.key);
    return dx < dy ? -1 : dx > dy ? 1 : ix - iy;
  });
}

function splitLutKey(key: string): [string, number] {
  const i = key.lastIndexOf(':');
  return [key.slice(0, i), Number(key.slice(i + 1))];
}

// --- sheet sets -----------------------------------------------------------------------------------

/** A sheet as the diff needs it: what it is, which version, and its typed rows. */
export interface SheetData<K extends SheetKind = SheetKind> {
  kind: K;
  name: string;
  /** null when the file name carries no version. */
  version: string | null;
  /** Where it was read: a path, or `<revision>:<path>` for a git revision. */
  rel: string;
  rows: RowOf[K][];
}

export interface SheetVersion {
  version: string | null;
  file: string;
}

export interface SheetDiff {
  /** `datasets/coco`. */
  sheet: string;
  kind: SheetKind;
  name: string;
  before: SheetVersion | null;
  after: SheetVersion | null;
  changes: Change[];
  /** The bump these changes demand (null: no change). */
  required: Level | null;
  /** The version step taken, when both versions of one sheet are known; otherwise null. */
  actual: ActualBump | null;
  /** Whether `actual` covers `required`; null when the versions are not known. */
  enough: boolean | null;
}

export interface CompiledDiff {
  vertical: string | null;
  changes: Change[];
  required: Level | null;
}

export interface SetDiff {
  sheets: SheetDiff[];
  /** Lookup-table effects per compiled label set; null when the compiled output was not compared. */
  compiled: CompiledDiff[] | null;
  /** The bump the whole change demands. */
  required: Level | null;
  /** false when any sheet's version step is too small; null when no versions were comparable. */
  enough: boolean | null;
}

/** Compares two versions of one sheet (or two sheets of one kind). */
export function diffSheetPair(before: SheetData, after: SheetData): SheetDiff {
  if (before.kind !== after.kind) throw new Error(`diffSheetPair: ${before.kind} vs ${after.kind}`);
  const sheet = sheetLabel(after.kind, after.name);
  const changes = diffSheets(after.kind, before.rows, after.rows, sheet);
  const required = requiredBump(changes);
  const comparable = before.name === after.name && before.version !== null && after.version !== null;
  const actual = comparable ? actualBump(before.version!, after.version!) : null;
  return {
    sheet,
    kind: after.kind,
    name: after.name,
    before: { version: before.version, file: before.rel },
    after: { version: after.version, file: after.rel },
    changes,
    required,
    actual,
    enough: actual === null ? null : isBumpEnough(actual, required),
  };
}

function oneSided(side: 'before' | 'after', s: SheetData): SheetDiff {
  const sheet = sheetLabel(s.kind, s.name);
  const version: SheetVersion = { version: s.version, file: s.rel };
  const c =
    side === 'after'
      ? change(sheet, 'sheet-added', 'sheet-added', s.name, 'version', null, s.version)
      : change(sheet, 'sheet-removed', 'sheet-removed', s.name, 'version', s.version, null);
  return {
    sheet,
    kind: s.kind,
    name: s.name,
    before: side === 'before' ? version : null,
    after: side === 'after' ? version : null,
    changes: [c],
    required: c.level,
    actual: null,
    enough: null,
  };
}

/**
 * Compares two sheet sets (one version of each sheet per set, normally the latest): sheets paired
 * by kind and name, plus sheets added and removed. With `compiled`, also the lookup-table effect
 * per compiled label set present on both sides.
 */
export function diffSheetSets(
  before: readonly SheetData[],
  after: readonly SheetData[],
  options: { compiled?: { before: readonly CompiledLut[]; after: readonly CompiledLut[] } } = {},
): SetDiff {
  const id = (s: SheetData) => sheetLabel(s.kind, s.name);
  const old = new Map(before.map((s) => [id(s), s]));
  const now = new Map(after.map((s) => [id(s), s]));
  const sheets: SheetDiff[] = [];
  for (const key of [...new Set([...old.keys(), ...now.keys()])]) {
    const b = old.get(key);
    const a = now.get(key);
    if (b && a) sheets.push(diffSheetPair(b, a));
    else if (a) sheets.push(oneSided('after', a));
    else if (b) sheets.push(oneSided('before', b));
  }
  const kindOrder = (k: SheetKind) => Object.keys(KIND_DIRS).indexOf(k);
  sheets.sort((x, y) => kindOrder(x.kind) - kindOrder(y.kind) || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));

  let compiled: CompiledDiff[] | null = null;
  if (options.compiled) {
    compiled = [];
    const oldLuts = new Map(options.compiled.before.map((l) => [l.vertical, l]));
    for (const a of [...options.compiled.after].sort((x, y) => String(x.vertical ?? '').localeCompare(String(y.vertical ?? '')))) {
      const b = oldLuts.get(a.vertical);
      if (!b) continue;
      const changes = diffLuts(b, a);
      compiled.push({ vertical: a.vertical, changes, required: requiredBump(changes) });
    }
  }
  const known = sheets.filter((s) => s.enough !== null);
  return {
    sheets,
    compiled,
    required: requiredBump([...sheets.flatMap((s) => s.changes), ...(compiled ?? []).flatMap((c) => c.changes)]),
    enough: known.length === 0 ? null : known.every((s) => s.enough),
  };
}

/** One side of a diff: one sheet, or a set of sheets (one version of each). */
export type DiffInput = { shape: 'sheet'; label: string; sheet: SheetData } | { shape: 'set'; label: string; sheets: readonly SheetData[] };

/**
 * Compiles a sheet set into its lookup tables (one per vertical, and the unified taxonomy), or
 * returns null when it cannot. Supplied by the caller so that this module stays free of the merge.
 */
export type CompileSet = (sheets: readonly SheetData[]) => CompiledLut[] | null;

/**
 * The diff of two sides, whatever their shape: two sheets (of one kind), a sheet against the same
 * sheet in a set, or two sets (then with the compiled-output effect when `compile` is given and
 * can compile both sides).
 */
export function diffInputs(before: DiffInput, after: DiffInput, options: { compile?: CompileSet } = {}): SetDiff {
  if (before.shape === 'sheet' && after.shape === 'sheet') {
    if (before.sheet.kind !== after.sheet.kind) {
      throw new LabelmapError('diff-kind-mismatch', {}, {
        before: before.label,
        after: after.label,
        reason: `a ${before.sheet.kind} sheet and a ${after.sheet.kind} sheet`,
      });
    }
    const pair = diffSheetPair(before.sheet, after.sheet);
    return { sheets: [pair], compiled: null, required: pair.required, enough: pair.enough };
  }
  if (before.shape === 'set' && after.shape === 'set') {
    const b = options.compile?.(before.sheets) ?? null;
    const a = b ? (options.compile?.(after.sheets) ?? null) : null;
    return diffSheetSets(before.sheets, after.sheets, b && a ? { compiled: { before: b, after: a } } : {});
  }
  // One sheet against a set: the same sheet (kind and name) in the set, or nothing (added/removed).
  const one = before.shape === 'sheet' ? before.sheet : (after as { sheet: SheetData }).sheet;
  const pick = (side: DiffInput): SheetData[] =>
    side.shape === 'sheet' ? [side.sheet] : side.sheets.filter((s) => s.kind === one.kind && s.name === one.name);
  return diffSheetSets(pick(before), pick(after));
}

// --- text -----------------------------------------------------------------------------------------

const qt = (v: string | null) => JSON.stringify(v ?? '');
const val = (v: string | null) => (v === null ? '(none)' : v === '' ? '(empty)' : v);

/** One line for people, without the sheet and the level (the caller prints those). */
export function describeChange(c: Change): string {
  switch (c.rule) {
    case 'class-added':
      return `added class ${qt(c.key)} (id ${val(c.after)})`;
    case 'class-removed':
      return `removed class ${qt(c.key)} (id ${val(c.before)})`;
    case 'class-renamed':
      return `renamed class ${c.key}: ${qt(c.before)} -> ${qt(c.after)}`;
    case 'class-renumbered':
      return `renumbered class ${qt(c.key)}: id ${val(c.before)} -> ${val(c.after)}`;
    case 'mapping-added':
      return `added mapping ${qt(c.key)} -> ${val(c.after)}`;
    case 'mapping-removed':
      return `removed mapping ${qt(c.key)} (was -> ${val(c.before)})`;
    case 'mapping-retarget':
      return `retargeted ${qt(c.key)}: ${val(c.before)} -> ${val(c.after)}`;
    case 'output-added':
      return `added output class ${qt(c.key)} (train id ${val(c.after)})`;
    case 'output-removed':
      return `removed output class ${qt(c.key)} (train id ${val(c.before)})`;
    case 'output-renamed':
      return `renamed output class ${c.key}: ${qt(c.before)} -> ${qt(c.after)}`;
    case 'output-renumbered':
      return `renumbered output class ${qt(c.key)}: train id ${val(c.before)} -> ${val(c.after)}`;
    case 'include-added':
      return `output class ${qt(c.after)} now includes ${qt(c.key)}`;
    case 'include-removed':
      return `output class ${qt(c.before)} no longer includes ${qt(c.key)}`;
    case 'include-moved':
      return `${qt(c.key)} moved from output class ${qt(c.before)} to ${qt(c.after)}`;
    case 'sheet-added':
      return `added sheet ${c.sheet}@${val(c.after)}`;
    case 'sheet-removed':
      return `removed sheet ${c.sheet}@${val(c.before)}`;
    case 'lut-added':
    case 'lut-removed':
    case 'lut-moved':
    case 'lut-ignored':
    case 'lut-labelled': {
      const [dataset, id] = splitLutKey(c.key);
      const what = `${dataset} id ${id}${c.note ? ` ${qt(c.note)}` : ''}`;
      if (c.rule === 'lut-added') return `${what} is new, lands on ${val(c.after)}`;
      if (c.rule === 'lut-removed') return `${what} is gone (landed on ${val(c.before)})`;
      return `${what} now lands on ${val(c.after)} (was ${val(c.before)})`;
    }
    default:
      return `${qt(c.key)}: ${c.field ?? 'value'} ${val(c.before)} -> ${val(c.after)}`;
  }
}
