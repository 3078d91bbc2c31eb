// Reading a labelmap.json bundle (the Bundle contract in taxonomy/types.ts) with errors that name
// the file and the JSON path. parseBundle and validateBundle are pure; readBundle is the I/O edge.
//
// A bundle, abridged:
//   {"format": "labelmap-bundle", "format_version": 1, "vertical": "self-driving",
//    "id_bits": 8, "ignore_id": 255,
//    "inputs": [{"kind": "dataset", "name": "coco", "version": "1.0.0", "file": "datasets/coco@1.0.0.csv", "sha256": "9f0c..."}],
//    "labels": [{"train_id": 0, "name": "road", "color": "#804080", "covers": ["road"], "is_thing": false}],
//    "datasets": [{"name": "coco", "version": "1.0.0",
//                  "lut": [{"id": 1, "name": "person", "target": "person", "train_id": 2, "label": "pedestrian", "reason": "mapped"}],
//                  "coverage": [{"label": "road", "train_id": 0, "status": "full"}]}]}
import path from 'node:path';
import { z } from 'zod/v3';
import { LabelmapError } from '../findings.js';
import { isDirectory, readBytes } from '../io/index.js';
import { parseJson } from '../json.js';
import type { Bundle } from '../taxonomy/types.js';

/** The bundle format this labelmap reads and writes. */
export const BUNDLE_FORMAT_VERSION = 1;
export const BUNDLE_FILE = 'labelmap.json';

const text = z.string().min(1);
// Label names end up in Python sources, XML attributes and one-name-per-line files: no control characters.
const labelName = text.refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { message: 'a name without control characters' });
// safe(): an id beyond 2^53 has been rounded to another number when the JSON was read.
const integer = z.number().int().safe();
const trainId = integer.nonnegative();
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: 'a colour #rrggbb' });

// Keys in the order of the contract, so that a parsed bundle serializes as merge writes it.
const schema = z.object({
  format: z.literal('labelmap-bundle'),
  format_version: z.literal(BUNDLE_FORMAT_VERSION),
  vertical: text.nullable(),
  id_bits: z.union([z.literal(8), z.literal(16)]),
  ignore_id: trainId,
  inputs: z.array(
    z.object({
      kind: z.enum(['dataset', 'taxonomy', 'mapping', 'vertical']),
      name: text,
      version: text,
      file: text,
      sha256: z.string().regex(/^[0-9a-f]{64}$/, { message: 'a SHA-256 digest (64 lower-case hex digits)' }),
    }),
  ),
  labels: z.array(
    z.object({
      train_id: trainId,
      name: labelName,
      color,
      covers: z.array(text),
      is_thing: z.boolean().nullable(),
    }),
  ),
  datasets: z.array(
    z.object({
      name: text,
      version: text,
      lut: z.array(
        z.object({
          id: integer,
          name: text,
          target: text.nullable(),
          train_id: trainId,
          label: labelName.nullable(),
          reason: z.enum(['mapped', 'ignored by mapping', 'not in vertical', 'coarser than vertical']),
        }),
      ),
      coverage: z.array(z.object({ label: labelName, train_id: trainId, status: z.enum(['full', 'partial', 'none']) })),
    }),
  ),
});

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
  const limit = 2 ** bundle.id_bits - 1;
  if (bundle.ignore_id > limit) fail(['ignore_id'], `ignore id out of range for ${bundle.id_bits}-bit ids`, `at most ${limit}`, bundle.ignore_id);

  const labelByName = new Map<string, Bundle['labels'][number]>();
  bundle.labels.forEach((label, i) => {
    const previous = bundle.labels[i - 1];
    if (label.train_id >= limit && label.train_id !== bundle.ignore_id) {
      fail(['labels', i, 'train_id'], `train id out of range for ${bundle.id_bits}-bit ids`, `at most ${limit - 1}`, label.train_id);
    }
    if (label.train_id === bundle.ignore_id) fail(['labels', i, 'train_id'], 'a label has the ignore id', `a train id other than ${bundle.ignore_id}`, label.train_id);
    if (previous && label.train_id <= previous.train_id) {
      fail(['labels', i, 'train_id'], 'labels out of train-id order', `a train id above ${previous.train_id} (labels sorted by train id, each id once)`, label.train_id);
    }
    if (labelByName.has(label.name)) fail(['labels', i, 'name'], 'duplicate label name', 'every label name once', label.name);
    labelByName.set(label.name, label);
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
      if (entry.label === null) {
        if (entry.train_id !== bundle.ignore_id) fail(at('train_id'), 'an entry without label', `the ignore id ${bundle.ignore_id}`, entry.train_id);
        if (entry.reason === 'mapped') fail(at('reason'), 'an entry without label', 'a reason other than "mapped"', entry.reason);
      } else {
        const label = labelByName.get(entry.label);
        if (!label) fail(at('label'), 'unknown label', 'the name of a label in $.labels, or null', entry.label);
        if (entry.train_id !== label!.train_id) fail(at('train_id'), `train id of the label ${JSON.stringify(entry.label)}`, String(label!.train_id), entry.train_id);
        if (entry.reason !== 'mapped') fail(at('reason'), 'an entry with a label', '"mapped"', entry.reason);
      }
      if ((entry.target === null) !== (entry.reason === 'ignored by mapping')) {
        fail(at('target'), `target of a "${entry.reason}" entry`, entry.reason === 'ignored by mapping' ? 'null' : 'a taxonomy class', entry.target);
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
}

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
    case 'invalid_union':
      return 'one of 8, 16';
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
