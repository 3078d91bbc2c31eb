// Reading a labelmap.json bundle (the Bundle contract: the zod schema in taxonomy/bundle-schema.ts,
// types inferred from it in taxonomy/types.ts) with errors that name the file and the JSON path.
// parseBundle and validateBundle are pure; readBundle is the I/O edge.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod/v3';
import { LabelmapError } from '../findings.js';
import { isDirectory, readBytes } from '../io/index.js';
import { parseJson } from '../json.js';
import { BUNDLE_FORMAT_VERSION, bundleSchema as schema } from '../taxonomy/bundle-schema.js';
import type { Bundle } from '../taxonomy/types.js';

export { BUNDLE_FORMAT_VERSION };
export const BUNDLE_FILE = 'labelmap.json';

// Bundles this module returned: checking them again (new LabelSpace(readBundle(f))) is skipped.
// A bundle is a value: code that changes one after reading it gets what it asked for.
const checked = new WeakSet<object>();

/** Parses the text of a labelmap.json; `file` names it in errors. Pure. */
export function parseBundle(json: string, file = BUNDLE_FILE): Bundle {
  return validateBundle(parseJson(json, file, 'bundle-json'), file);
}

/**
 * Checks a parsed labelmap.json: the format and its version first (so that a bundle of another
 * version gets that message, not a list of differences), then the shape, then the rules that
 * tie its parts together. Returns the bundle with the contract's keys only. Pure.
 */
export function validateBundle(value: unknown, file = 'bundle'): Bundle {
  if (checked.has(value as object)) return value as Bundle;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || (value as { format?: unknown }).format !== 'labelmap-bundle') {
    const found = typeof value === 'object' && value !== null && !Array.isArray(value) ? `"format": ${show((value as { format?: unknown }).format)}` : show(value);
    throw new LabelmapError('bundle-format', { file, path: '$.format' }, { found });
  }
  const version = (value as { format_version?: unknown }).format_version;
  if (version !== BUNDLE_FORMAT_VERSION) {
    throw new LabelmapError('bundle-version', { file, path: '$.format_version' }, { found: show(version), expected: BUNDLE_FORMAT_VERSION });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const found = valueAt(value, issue.path);
    throw invalid(file, issue.path, found === undefined ? 'missing value' : 'wrong value', expectedOf(issue), show(found));
  }
  const bundle = parsed.data as Bundle;
  checkRules(bundle, file);
  checked.add(bundle);
  return bundle;
}

/**
 * Reads and checks a labelmap.json (or the labelmap.json inside a folder `labelmap merge` wrote).
 * Errors name the file as `shownAs` (the path as the user typed it) when given.
 */
export function readBundle(file: string, shownAs = file): Bundle {
  const inFolder = isDirectory(file);
  const target = inFolder ? path.join(file, BUNDLE_FILE) : file;
  const shown = inFolder ? path.join(shownAs, BUNDLE_FILE) : shownAs;
  let bytes: Buffer;
  try {
    bytes = readBytes(target, 'bundle');
  } catch (error) {
    if (error instanceof LabelmapError) throw new LabelmapError(error.finding.code, { file: shown }, error.finding.args);
    throw error;
  }
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new LabelmapError('bundle-json', { file: shown }, { reason: 'the file is not UTF-8 text' });
  }
  return parseBundle(json, shown);
}

// --- the rules between the parts --------------------------------------------------------------

function checkRules(bundle: Bundle, file: string): void {
  const fail = (at: (string | number)[], message: string, expected: string, found: unknown): never => {
    throw invalid(file, at, message, expected, show(found));
  };
  const expectedIgnore = bundle.id_bits === 8 ? 255 : 65535;
  if (bundle.ignore_id !== expectedIgnore) fail(['ignore_id'], `ignore id of ${bundle.id_bits}-bit ids`, String(expectedIgnore), bundle.ignore_id);
  const ignore = bundle.ignore_id;

  const labelByName = new Map<string, Bundle['labels'][number]>();
  bundle.labels.forEach((label, i) => {
    const previous = bundle.labels[i - 1];
    if (label.train_id >= ignore) fail(['labels', i, 'train_id'], `train id out of range for ${bundle.id_bits}-bit ids`, `at most ${ignore - 1}`, label.train_id);
    if (previous && label.train_id <= previous.train_id) {
      fail(['labels', i, 'train_id'], 'labels out of train-id order', `a train id above ${previous.train_id} (labels sorted by train id, each id once)`, label.train_id);
    }
    if (labelByName.has(label.name)) fail(['labels', i, 'name'], 'duplicate label name', 'every label name once', label.name);
    labelByName.set(label.name, label);
  });
  if (bundle.other !== null && !labelByName.has(bundle.other)) fail(['other'], 'unknown label', 'the name of a label in $.labels, or null', bundle.other);

  const highestLabel = bundle.labels.at(-1)?.train_id ?? -1;
  const setByName = new Map<string, Bundle['label_sets'][number]>();
  bundle.label_sets.forEach((set, i) => {
    const previous = bundle.label_sets[i - 1];
    const at = (key: string | number, ...more: (string | number)[]) => ['label_sets', i, key, ...more];
    const lowest = (previous?.id ?? highestLabel) + 1;
    if (set.id < lowest) fail(at('id'), 'label set id', `an id of at least ${lowest} (sets follow the labels, sorted by id, each id once)`, set.id);
    if (set.id >= ignore) fail(at('id'), `label set id out of range for ${bundle.id_bits}-bit ids`, `at most ${ignore - 1}`, set.id);
    if (setByName.has(set.name)) fail(at('name'), 'duplicate label set name', 'every label set name once', set.name);
    setByName.set(set.name, set);
    if (set.member_ids.length !== set.members.length) fail(at('member_ids'), 'member ids', `one id per member (${set.members.length})`, set.member_ids);
    set.members.forEach((member, m) => {
      const label = labelByName.get(member);
      if (!label) fail(at('members', m), 'unknown label', 'the name of a label in $.labels', member);
      if (set.member_ids[m] !== label!.train_id) fail(at('member_ids', m), `train id of the label ${JSON.stringify(member)}`, String(label!.train_id), set.member_ids[m]);
      const before = set.member_ids[m - 1];
      if (before !== undefined && label!.train_id <= before) fail(at('members', m), 'members out of train-id order', `a member with a train id above ${before}`, member);
    });
  });

  const datasetNames = new Set<string>();
  bundle.datasets.forEach((dataset, d) => {
    if (datasetNames.has(dataset.name)) fail(['datasets', d, 'name'], 'duplicate dataset', 'every dataset once', dataset.name);
    datasetNames.add(dataset.name);
    const ids = new Set<number>();
    const names = new Set<string>();
    dataset.lut.forEach((entry, e) => {
      const at = (key: string) => ['datasets', d, 'lut', e, key];
      if (ids.has(entry.id)) fail(at('id'), `duplicate native id in ${dataset.name}`, 'every native id once', entry.id);
      if (names.has(entry.name)) fail(at('name'), `duplicate native name in ${dataset.name}`, 'every native name once', entry.name);
      ids.add(entry.id);
      names.add(entry.name);
      const reasons = REASONS_OF_KIND[entry.kind];
      if (!reasons.includes(entry.reason)) fail(at('reason'), `reason of a "${entry.kind}" entry`, `one of ${reasons.map((r) => JSON.stringify(r)).join(', ')}`, entry.reason);
      if (entry.kind === 'label') {
        const label = entry.label === null ? undefined : labelByName.get(entry.label);
        if (!label) fail(at('label'), 'unknown label', 'the name of a label in $.labels', entry.label);
        if (entry.train_id !== label!.train_id) fail(at('train_id'), `train id of the label ${JSON.stringify(entry.label)}`, String(label!.train_id), entry.train_id);
      } else if (entry.label !== null) fail(at('label'), `label of a "${entry.kind}" entry`, 'null', entry.label);
      if (entry.kind === 'set') {
        const set = entry.set === null ? undefined : setByName.get(entry.set);
        if (!set) fail(at('set'), 'unknown label set', 'the name of a set in $.label_sets', entry.set);
        if (entry.train_id !== set!.id) fail(at('train_id'), `id of the label set ${JSON.stringify(entry.set)}`, String(set!.id), entry.train_id);
      } else if (entry.set !== null) fail(at('set'), `set of a "${entry.kind}" entry`, 'null', entry.set);
      if (entry.kind === 'ignore' && entry.train_id !== ignore) fail(at('train_id'), 'an ignored entry', `the ignore id ${ignore}`, entry.train_id);
      if ((entry.target === null) !== (entry.reason === 'ignored by mapping')) {
        fail(at('target'), `target of a "${entry.reason}" entry`, entry.reason === 'ignored by mapping' ? 'null' : 'a taxonomy class or "background"', entry.target);
      }
    });
    if (dataset.coverage.length !== bundle.labels.length) {
      fail(['datasets', d, 'coverage'], 'coverage', `one entry per label (${bundle.labels.length})`, `${dataset.coverage.length} entries`);
    }
    dataset.coverage.forEach((c, i) => {
      const label = bundle.labels[i]!;
      if (c.label !== label.name || c.train_id !== label.train_id) {
        fail(['datasets', d, 'coverage', i], 'coverage out of label order', `label ${JSON.stringify(label.name)} with train id ${label.train_id}`, c);
      }
    });
  });
  // The attribute vocabulary: every key once, every value of a key once (as the sheet's rules say).
  const keys = new Set<string>();
  bundle.attributes?.keys.forEach((k, i) => {
    if (keys.has(k.key)) fail(['attributes', 'keys', i, 'key'], 'duplicate attribute key', 'every key once', k.key);
    keys.add(k.key);
    const values = new Set<string>();
    k.values.forEach((v, j) => {
      if (values.has(v.value)) fail(['attributes', 'keys', i, 'values', j, 'value'], `duplicate value of ${k.key}`, 'every value of a key once', v.value);
      values.add(v.value);
    });
  });
}

/** Which reasons each kind of LUT entry can have (docs/merge.md, "How a source class resolves"). */
const REASONS_OF_KIND: Record<Bundle['datasets'][number]['lut'][number]['kind'], readonly string[]> = {
  label: ['mapped', 'absorbed', 'other'],
  set: ['coarser than vertical', 'background'],
  ignore: ['ignored by mapping', 'background', 'not in vertical', 'coarser than vertical'],
};

// --- error helpers ----------------------------------------------------------------------------

function invalid(file: string, at: readonly (string | number)[], message: string, expected: string, found: string): LabelmapError {
  return new LabelmapError('bundle-invalid', { file, path: jsonPath(at) }, { message, expected, found });
}

/** `$.datasets[0].lut[3].train_id`. */
export function jsonPath(at: readonly (string | number)[]): string {
  return `$${at.map((k) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`)).join('')}`;
}

function valueAt(root: unknown, at: readonly (string | number)[]): unknown {
  let v = root;
  for (const k of at) {
    if (typeof v !== 'object' || v === null || !(k in v)) return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

/** A found value, short: `"abc"`, `12`, `null`, `an object`, `nothing`. */
function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

const TYPE_NAMES: Record<string, string> = {
  array: 'an array',
  object: 'an object',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  null: 'null',
};

function expectedOf(issue: z.ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return TYPE_NAMES[issue.expected] ?? issue.expected;
    case 'invalid_literal':
      return JSON.stringify(issue.expected);
    case 'invalid_enum_value':
      return `one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}`;
    case 'invalid_union': {
      const options = issue.unionErrors.flatMap((e) => e.issues).flatMap((i) => (i.code === 'invalid_literal' ? [JSON.stringify(i.expected)] : []));
      return options.length ? `one of ${options.join(', ')}` : issue.message;
    }
    case 'too_small':
      return issue.type === 'string' ? 'a non-empty string' : `at least ${String(issue.minimum)}`;
    case 'too_big':
      return `at most ${String(issue.maximum)}`;
    case 'invalid_string':
    case 'custom':
      return issue.message;
    case 'not_finite':
      return 'a finite number';
    default:
      return issue.message;
  }
}
