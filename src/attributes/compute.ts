// Per-image attributes in the unified vocabulary: a dataset's own values mapped through its
// attribute-mapping sheet, and derived attributes computed from the annotations by the rules of an
// attribute-rule sheet (docs/attributes.md). Pure: rows and frames in, rows and counts out.
import { finding, type Finding } from '../findings.js';
import { ruleClasses } from '../rules/attributes.js';
import type { AttributeMappingRow, AttributeRuleRow, AttributeValueRow, TaxonomyClass } from '../sheets/schema.js';
import { buildHierarchy } from '../taxonomy/hierarchy.js';

/** One annotated instance, as far as the rules need it: its taxonomy class and box height in pixels. */
export interface FrameInstance {
  /** Taxonomy class, or null when the native class maps to none. */
  taxonomyClass: string | null;
  /** Box height in pixels, or null when the instance has no box. */
  boxHeight: number | null;
}

/** One image as the readers give it. */
export interface Frame {
  image: string;
  /** The dataset's own attributes (`weather: "partly cloudy"`); a key may be absent. */
  source: Readonly<Record<string, string>>;
  /** The instances, or null when the reader has no annotations (derived keys are then missing). */
  instances: readonly FrameInstance[] | null;
  /** Image height in pixels (for box-height-share), or null when not known. */
  imageHeight: number | null;
}

export interface CompiledRule {
  row: AttributeRuleRow;
  /** Every taxonomy class the rule looks for (each named class with its subtree); null = any class. */
  classes: ReadonlySet<string> | null;
}

export interface AttributeModel {
  /** The unified keys, in vocabulary order: the table's columns after `image`. */
  keys: string[];
  /** `source_key\0source_value` -> [key, value] ('' = missing). */
  mapping: Map<string, [string, string]>;
  /** Source keys the mapping knows: other keys of a frame are not attributes of the vocabulary. */
  sourceKeys: Set<string>;
  rules: CompiledRule[];
  /** key -> the value given when no rule of the key holds (`no`), if the vocabulary has one. */
  otherwise: Map<string, string>;
}

/** Builds what `attributesOfFrame` needs from the three sheets and the taxonomy. */
export function compileAttributeModel(
  vocabulary: readonly AttributeValueRow[],
  mapping: readonly AttributeMappingRow[],
  rules: readonly AttributeRuleRow[],
  taxonomy: readonly TaxonomyClass[],
): AttributeModel {
  const keys = [...new Set(vocabulary.map((r) => r.key))];
  const values = new Map<string, Set<string>>();
  for (const r of vocabulary) values.set(r.key, (values.get(r.key) ?? new Set()).add(r.value));
  const tree = buildHierarchy(taxonomy);
  const compiled = rules.map((row) => {
    const named = ruleClasses(row);
    return { row, classes: named.length ? new Set(named.flatMap((c) => tree.subtreeOf(c))) : null };
  });
  const otherwise = new Map<string, string>();
  for (const { row } of compiled) if (row.value !== 'no' && values.get(row.key)?.has('no')) otherwise.set(row.key, 'no');
  return {
    keys,
    mapping: new Map(mapping.map((r) => [`${r.source_key}\u0000${r.source_value}`, [r.key, r.value]])),
    sourceKeys: new Set(mapping.map((r) => r.source_key)),
    rules: compiled,
    otherwise,
  };
}

function ruleHolds(rule: CompiledRule, frame: Frame): boolean {
  const { row, classes } = rule;
  const instances = frame.instances!.filter((i) => classes === null || (i.taxonomyClass !== null && classes.has(i.taxonomyClass)));
  switch (row.when) {
    case 'any-class':
      return instances.length > 0;
    case 'count':
      return instances.length >= (row.min ?? 0);
    case 'box-height-share': {
      if (!frame.imageHeight) return false;
      const min = row.min ?? 0;
      const max = row.max ?? Number.POSITIVE_INFINITY;
      return instances.some((i) => {
        if (i.boxHeight === null) return false;
        const share = i.boxHeight / frame.imageHeight!;
        return share >= min && share < max;
      });
    }
  }
}

/**
 * One image's unified attributes: key -> value, '' for missing. A source value without a mapping
 * row is a finding (`attribute-value-unmapped`), and its key stays missing.
 */
export function attributesOfFrame(model: AttributeModel, frame: Frame, mappingName: string): { values: Record<string, string>; findings: Finding[] } {
  const values: Record<string, string> = {};
  for (const k of model.keys) values[k] = '';
  const findings: Finding[] = [];
  const given = new Set<string>();
  for (const [sourceKey, sourceValue] of Object.entries(frame.source)) {
    if (!model.sourceKeys.has(sourceKey)) continue;
    const hit = model.mapping.get(`${sourceKey}\u0000${sourceValue}`);
    if (!hit) {
      findings.push(finding('attribute-value-unmapped', 'error', {}, { image: frame.image, sourceKey, sourceValue, mapping: mappingName }));
      continue;
    }
    given.add(hit[0]);
    if (hit[1] !== '') values[hit[0]] = hit[1];
  }
  if (frame.instances !== null) {
    for (const rule of model.rules) {
      const { key, value } = rule.row;
      // The dataset's own value (even "unknown") wins over a derived one; then the first rule that holds.
      if (given.has(key) || (values[key] !== '' && values[key] !== model.otherwise.get(key))) continue;
      if (ruleHolds(rule, frame)) values[key] = value;
      else if (values[key] === '') values[key] = model.otherwise.get(key) ?? '';
    }
  }
  return { values, findings };
}

/** Counts per key and value ('' = missing), over the images of a run. */
export type AttributeCounts = Map<string, Map<string, number>>;

export function addCounts(counts: AttributeCounts, values: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(values)) {
    let perValue = counts.get(key);
    if (!perValue) counts.set(key, (perValue = new Map()));
    perValue.set(value, (perValue.get(value) ?? 0) + 1);
  }
}
