// Rules over the attribute sheets (docs/attributes.md): each value of the vocabulary once, every
// dataset value mapped once and to a value of the vocabulary, "unknown" never mapped to a value,
// derived rules whose parameters fit their `when` and whose classes are taxonomy classes.
import { finding, type Finding } from '../findings.js';
import type { AttributeMappingRow, AttributeRuleRow, AttributeValueRow, SheetKind } from '../sheets/schema.js';
import type { Sheet } from '../sheets/types.js';
import { didYouMean } from '../text/index.js';
import type { SheetSet } from '../taxonomy/types.js';
import { at, refOf, type Rule } from './types.js';

/**
 * Source values that mean "not known" (BDD100K writes `undefined`): an image with one has no value
 * for the key, so its row must leave the unified value empty.
 */
export const UNKNOWN_SOURCE_VALUES: ReadonlySet<string> = new Set(['undefined', 'unknown', 'n/a', 'na', 'none', '']);

/** The last-read version of each sheet of a kind (sheets arrive oldest first). */
function latestOfKind<K extends SheetKind>(sheets: readonly Sheet[], kind: K): Sheet<K>[] {
  const byName = new Map<string, Sheet<K>>();
  for (const s of sheets) if (s.kind === kind) byName.set(s.name, s as Sheet<K>);
  return [...byName.values()];
}

/** key -> its values, over the latest version of every vocabulary sheet. */
export function vocabularyOf(sheets: readonly Sheet<'attributes'>[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const s of sheets) {
    for (const r of s.rows) {
      let values = out.get(r.key);
      if (!values) out.set(r.key, (values = new Set()));
      values.add(r.value);
    }
  }
  return out;
}

function checkPairsUnique<T>(sheet: Sheet, rows: readonly T[], pair: (r: T) => [string, string], column: string, found: (r: T, firstLine: number) => Finding['args'], code: 'attribute-value-duplicate' | 'attribute-mapping-duplicate'): Finding[] {
  const first = new Map<string, number>();
  const out: Finding[] = [];
  rows.forEach((r, i) => {
    const k = pair(r).join('\u0000');
    const seen = first.get(k);
    if (seen !== undefined) out.push(finding(code, 'error', at(sheet, i, column), found(r, seen)));
    else first.set(k, sheet.lines[i]!);
  });
  return out;
}

export function checkVocabulary(sheet: Sheet<'attributes'>): Finding[] {
  return checkPairsUnique(sheet, sheet.rows, (r: AttributeValueRow) => [r.key, r.value], 'value', (r, firstLine) => ({ key: r.key, value: r.value, firstLine }), 'attribute-value-duplicate');
}

export function checkAttributeMapping(sheet: Sheet<'attribute-mapping'>, vocabulary: Map<string, Set<string>>, vocabularyNames: string): Finding[] {
  const out = checkPairsUnique(
    sheet,
    sheet.rows,
    (r: AttributeMappingRow) => [r.source_key, r.source_value],
    'source_value',
    (r, firstLine) => ({ sourceKey: r.source_key, sourceValue: r.source_value, firstLine }),
    'attribute-mapping-duplicate',
  );
  sheet.rows.forEach((r, i) => {
    const args = { sourceKey: r.source_key, sourceValue: r.source_value, key: r.key, value: r.value };
    if (UNKNOWN_SOURCE_VALUES.has(r.source_value.toLowerCase()) && r.value !== '') {
      out.push(finding('attribute-mapping-unknown-as-value', 'error', at(sheet, i, 'value'), args));
      return;
    }
    if (vocabulary.size === 0) return; // attribute-vocabulary-missing says it once
    const values = vocabulary.get(r.key);
    if (!values) {
      out.push(finding('attribute-mapping-target-unknown', 'error', at(sheet, i, 'key'), { ...args, vocabulary: vocabularyNames, suggestion: didYouMean(r.key, vocabulary.keys()) }));
    } else if (r.value !== '' && !values.has(r.value)) {
      out.push(finding('attribute-mapping-target-unknown', 'error', at(sheet, i, 'value'), { ...args, vocabulary: vocabularyNames, suggestion: didYouMean(r.value, values) }));
    }
  });
  return out;
}

/** The classes of a rule's `classes` cell (`construction|traffic_cone`). */
export function ruleClasses(row: AttributeRuleRow): string[] {
  return row.classes.split('|').map((c) => c.trim()).filter((c) => c !== '');
}

export function checkAttributeRules(sheet: Sheet<'attribute-rule'>, vocabulary: Map<string, Set<string>>, vocabularyNames: string, taxonomy: Sheet<'taxonomy'> | null): Finding[] {
  const out = checkPairsUnique(sheet, sheet.rows, (r: AttributeRuleRow) => [r.key, r.value], 'value', (r, firstLine) => ({ key: r.key, value: r.value, firstLine }), 'attribute-value-duplicate');
  const names = taxonomy ? new Set(taxonomy.rows.map((c) => c.name)) : null;
  sheet.rows.forEach((r, i) => {
    const invalid = (column: string, problem: string, fix: string) =>
      out.push(finding('attribute-rule-invalid', 'error', at(sheet, i, column), { key: r.key, value: r.value, when: r.when, problem, fix }));
    if (vocabulary.size > 0 && !vocabulary.get(r.key)?.has(r.value)) {
      out.push(finding('attribute-mapping-target-unknown', 'error', at(sheet, i, 'value'), {
        sourceKey: `rule ${r.when}`, sourceValue: `${r.key}=${r.value}`, key: r.key, value: r.value, vocabulary: vocabularyNames,
        suggestion: didYouMean(r.value, vocabulary.get(r.key) ?? vocabulary.keys()),
      }));
    }
    const classes = ruleClasses(r);
    if (r.when !== 'count' && classes.length === 0) invalid('classes', 'names no class', 'name the taxonomy classes it looks for, separated by | (each with its subtree)');
    if (names) {
      for (const c of classes) {
        if (!names.has(c)) out.push(finding('attribute-rule-class-unknown', 'error', at(sheet, i, 'classes'), { key: r.key, value: r.value, class: c, taxonomy: refOf(taxonomy!), suggestion: didYouMean(c, names) }));
      }
    }
    if (r.when === 'any-class' && (r.min !== null || r.max !== null)) invalid('min', 'has bounds, which any-class does not read', 'leave min and max empty');
    if (r.when === 'box-height-share') {
      if (r.min === null && r.max === null) invalid('min', 'has neither min nor max', 'give the share of the image height, e.g. min 0.2 for near');
      if ((r.min ?? 0) > 1 || (r.max ?? 0) > 1) invalid(r.min !== null && r.min > 1 ? 'min' : 'max', 'has a share above 1', 'write the share of the image height as a number from 0 to 1');
    }
    if (r.when === 'count') {
      if (r.min === null || !Number.isInteger(r.min)) invalid('min', 'needs min, a whole number of instances', 'write the least number of instances, e.g. 20');
      if (r.max !== null) invalid('max', 'has a max, which count does not read', 'leave max empty');
    }
    if (r.min !== null && r.max !== null && r.min >= r.max) invalid('max', `has min ${r.min} not below max ${r.max}`, 'make min smaller than max (the range is [min, max))');
  });
  return out;
}

function attributeFindings(sheets: readonly Sheet[], set: SheetSet | null): Finding[] {
  const vocabularies = latestOfKind(sheets, 'attributes');
  const vocabulary = vocabularyOf(vocabularies);
  const names = vocabularies.map(refOf).join(', ');
  const mappings = latestOfKind(sheets, 'attribute-mapping');
  const rules = latestOfKind(sheets, 'attribute-rule');
  const out = vocabularies.flatMap(checkVocabulary);
  if (vocabularies.length === 0) {
    for (const s of [...mappings, ...rules]) out.push(finding('attribute-vocabulary-missing', 'error', { file: s.rel }, { sheet: s.rel }));
  }
  for (const m of mappings) out.push(...checkAttributeMapping(m, vocabulary, names));
  for (const r of rules) out.push(...checkAttributeRules(r, vocabulary, names, set?.taxonomy ?? null));
  return out;
}

export const ATTRIBUTE_RULES: readonly Rule[] = [
  {
    codes: [
      'attribute-value-duplicate',
      'attribute-mapping-duplicate',
      'attribute-mapping-target-unknown',
      'attribute-mapping-unknown-as-value',
      'attribute-vocabulary-missing',
      'attribute-rule-invalid',
      'attribute-rule-class-unknown',
    ],
    stage: 'mappings',
    check: ({ sheets, set }) => attributeFindings(sheets, set),
  },
];
