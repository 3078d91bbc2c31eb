import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFinding } from '../../src/findings.js';
import { detectHf, extractHf, hfConfigSheet, parseJsonText, sheetNameFrom } from '../../src/formats/hf.js';
import { formatById } from '../../src/formats/index.js';
import { formatSheet, parseSheetText } from '../../src/sheets/csv.js';
import { FIXTURES, REAL, tempDir } from '../helpers/cli.js';
import { findingOf } from '../helpers/finding-of.js';

const HF = path.join(FIXTURES, 'hf');
const DETR = path.join(HF, 'detr-resnet-50', 'config.json');
const SEGFORMER = path.join(HF, 'segformer-ade-small.json');

const DETR_GAPS = [0, 12, 26, 29, 30, 45, 66, 68, 69, 71, 83];

describe('a DETR config (COCO ids padded with N/A)', () => {
  it('lists the 80 classes at their ids and skips the N/A placeholders', async () => {
    const r = await extractHf(DETR, { stats: false });
    expect(r.name).toBe('detr-resnet-50');
    expect(r.rows).toHaveLength(80);
    expect(r.rows.map((x) => x.id)).toEqual(Array.from({ length: 91 }, (_, i) => i).filter((i) => !DETR_GAPS.includes(i)));
    expect(r.rows.slice(0, 3).map((x) => `${x.id} ${x.name}`)).toEqual(['1 person', '2 bicycle', '3 car']);
    expect(r.rows.find((x) => x.id === 13)?.name).toBe('stop sign');
    expect(r.rows.at(-1)).toEqual({ id: 90, name: 'toothbrush', display_name: '', category: '', train_id: null, color: '', is_thing: null, evaluate: null, extra: {} });
    expect(r.notes).toEqual([
      "ids: the id2label keys (the model's output indices)",
      `skipped 11 placeholder ids named "N/A" (${DETR_GAPS.join(', ')}): output indices the model keeps for no class`,
    ]);
  });

  it('reads a model folder through its config.json', async () => {
    const r = await extractHf(path.dirname(DETR), { stats: false });
    expect(r.rows).toHaveLength(80);
  });

  it('writes a sheet that reads back', async () => {
    const r = await extractHf(DETR, { stats: false });
    const back = parseSheetText('dataset', formatSheet('dataset', r.rows), 'detr.csv');
    expect(back.findings).toEqual([]);
    expect(back.sheet?.rows).toEqual(r.rows);
  });
});

describe.skipIf(!existsSync(REAL))('the DETR fixture against the real COCO categories', () => {
  it('has the COCO thing names at the COCO ids', async () => {
    const categories = JSON.parse(readFileSync(path.join(REAL, 'coco', 'panoptic_coco_categories.json'), 'utf8')) as { id: number; name: string; isthing: number }[];
    const things = categories.filter((c) => c.isthing === 1).map((c) => `${c.id} ${c.name}`);
    const r = await extractHf(DETR, { stats: false });
    expect(r.rows.map((x) => `${x.id} ${x.name}`)).toEqual(things);
  });
});

describe('a SegFormer ADE20k config', () => {
  it('keeps ids from 0 and trims a padded name', async () => {
    const r = await extractHf(SEGFORMER, { stats: true });
    // The name comes from the file, not from _name_or_path (the base checkpoint).
    expect(r.name).toBe('segformer-ade-small');
    expect(r.rows.map((x) => `${x.id} ${x.name}`)).toEqual([
      '0 wall', '1 building', '2 sky', '3 floor', '4 tree', '5 ceiling', '6 road', '7 bed', '8 windowpane', '9 grass', '10 cabinet', '11 sidewalk',
    ]);
    expect(r.notes).toContain('trimmed the spaces around 1 name: "bed "');
    expect(r.notes).toContain('--stats: a model config has no annotations to count; the sheet has no counts');
    expect(r.rows.every((x) => x.instances === undefined)).toBe(true);
  });
});

describe('hfConfigSheet errors', () => {
  const sheet = (config: unknown) => () => hfConfigSheet(config, 'config.json');

  it('needs an object with id2label', async () => {
    expect(await findingOf(sheet([1, 2]))).toMatchObject({ code: 'hf-not-config', args: { found: 'an array' } });
    expect(await findingOf(sheet({ model_type: 'bert' }))).toMatchObject({ code: 'hf-not-config', args: { found: 'an object without "id2label"' } });
    expect(await findingOf(sheet({ id2label: ['a', 'b'] }))).toMatchObject({ code: 'hf-not-config', path: 'id2label', args: { found: '"id2label" as an array' } });
    expect(await findingOf(sheet({ id2label: { 0: 'N/A' } }))).toMatchObject({ code: 'hf-not-config', args: { found: '"id2label" without class names' } });
  });

  it('needs integer ids, each once', async () => {
    for (const key of ['a', '-1', '1.5', ' 2', '']) {
      expect(await findingOf(sheet({ id2label: { 0: 'x', [key]: 'y' } })), key).toMatchObject({ code: 'hf-id-invalid', path: `id2label[${JSON.stringify(key)}]`, args: { key } });
    }
    expect(await findingOf(sheet({ id2label: { 1: 'x', '01': 'y' } }))).toMatchObject({ code: 'hf-id-duplicate', args: { first: '1', second: '01' } });
  });

  it('needs names', async () => {
    expect(await findingOf(sheet({ id2label: { 0: 'x', 1: 7 } }))).toMatchObject({ code: 'hf-name-invalid', path: 'id2label["1"]', args: { found: 'the number 7' } });
    expect(await findingOf(sheet({ id2label: { 0: ' ' } }))).toMatchObject({ code: 'hf-name-invalid' });
  });

  it('rejects a name used twice (ImageNet\'s two cranes) with a fix', async () => {
    const f = await findingOf(() => extractHf(path.join(HF, 'broken', 'duplicate-names.json'), { stats: false }));
    expect(f).toMatchObject({ code: 'hf-duplicate-name', path: 'id2label["517"]', args: { name: 'crane', first: 134, second: 517 } });
    expect(formatFinding(f)).toContain('fix: edit a copy of config.json so that each id has its own name');
  });

  it('cross-checks label2id, naming both sides', async () => {
    const id2label = { 0: 'cat', 1: 'dog', 2: 'N/A' };
    expect(hfConfigSheet({ id2label, label2id: { cat: 0, dog: 1, 'N/A': 2 } }, 'c.json').rows).toHaveLength(2);
    expect(hfConfigSheet({ id2label, label2id: { cat: '0', dog: '1' } }, 'c.json').rows).toHaveLength(2);

    const swapped = await findingOf(sheet({ id2label, label2id: { cat: 1, dog: 0 } }));
    expect(swapped).toMatchObject({ code: 'hf-label2id-mismatch', path: 'label2id["cat"]' });
    expect(formatFinding(swapped)).toContain('id2label and label2id disagree: id2label["0"] is "cat", but label2id["cat"] is 1');

    const extra = await findingOf(sheet({ id2label, label2id: { cat: 0, dog: 1, cow: 3 } }));
    expect(formatFinding(extra)).toContain('id2label has no class "cow", but label2id["cow"] is 3');

    const missing = await findingOf(sheet({ id2label, label2id: { cat: 0 } }));
    expect(formatFinding(missing)).toContain('id2label["1"] is "dog", but label2id has no "dog"');

    expect((await findingOf(sheet({ id2label, label2id: [0, 1] }))).code).toBe('hf-label2id-mismatch');
  });

  it('says when the names are transformers defaults', async () => {
    const r = hfConfigSheet({ id2label: { 0: 'LABEL_0', 1: 'LABEL_1' } }, 'c.json');
    expect(r.notes).toContain('every name is a transformers default (LABEL_0, LABEL_1, ...): this config carries no real class names');
    expect(r.name).toBe('c');
    expect(hfConfigSheet({ id2label: { 0: 'a' } }, '/x/---/config.json').name).toBe('hf-model');
  });
});

describe('reading the file', () => {
  it('names line and column of malformed JSON', async () => {
    const file = path.join(HF, 'broken', 'trailing-comma.json');
    const f = await findingOf(() => extractHf(file, { stats: false }));
    expect(f).toMatchObject({ code: 'hf-json-malformed', file, line: 6, column: 3 });
  });

  it('turns a JSON position into line and column', async () => {
    expect(await findingOf(() => parseJsonText('{\n "a": 1\n', 'x.json'))).toMatchObject({ line: 3, column: 1 });
    expect(parseJsonText('\uFEFF{"a": 1}', 'x.json')).toEqual({ a: 1 });
  });

  it('reports a missing file and a folder without config.json', async () => {
    expect((await findingOf(() => extractHf(path.join(HF, 'nope.json'), { stats: false }))).code).toBe('file-not-found');
    const dir = tempDir({ 'model.safetensors': '' });
    expect(await findingOf(() => extractHf(dir, { stats: false }))).toMatchObject({ code: 'file-not-found', file: path.join(dir, 'config.json') });
  });
});

describe('sheetNameFrom', () => {
  it('slugifies the last part of a model name', async () => {
    expect(sheetNameFrom('facebook/detr-resnet-50')).toBe('detr-resnet-50');
    expect(sheetNameFrom('nvidia/MiT-b0_ADE 512')).toBe('mit-b0_ade-512');
    expect(sheetNameFrom('/home/me/runs/ckpt-3/')).toBe('ckpt-3');
    expect(sheetNameFrom('detr')).toBe('detr');
    expect(sheetNameFrom('')).toBeNull();
    expect(sheetNameFrom('---')).toBeNull();
    expect(sheetNameFrom(42)).toBeNull();
  });

  it('names the sheet after the file, not _name_or_path: two fine-tunes of one base do not collide', async () => {
    const base = { _name_or_path: 'facebook/detr-resnet-50', id2label: { 0: 'a' } };
    expect(hfConfigSheet(base, 'models/warehouse-detr/config.json').name).toBe('warehouse-detr');
    expect(hfConfigSheet(base, 'models/retail-detr/config.json').name).toBe('retail-detr');
    expect(hfConfigSheet(base, 'Shelf_Model.json').name).toBe('shelf_model');
  });
});

describe('detect', () => {
  it('accepts configs and model folders', async () => {
    expect(await detectHf(DETR)).toEqual({ ok: true, reason: 'a Hugging Face model config with 91 id2label entries' });
    expect((await detectHf(path.dirname(DETR))).ok).toBe(true);
  });

  it('says why it rejects other inputs', async () => {
    expect(await detectHf(path.join(FIXTURES, 'voc', 'broken', 'xxe.xml'))).toEqual({ ok: false, reason: 'not a JSON file' });
    const dir = tempDir({ 'package.json': '{"name": "x"}', 'list.json': '[1]' });
    expect(await detectHf(path.join(dir, 'package.json'))).toEqual({ ok: false, reason: 'a JSON object without "id2label" (not a Hugging Face model config)' });
    expect(await detectHf(path.join(dir, 'list.json'))).toEqual({ ok: false, reason: 'a JSON file that is an array, not a model config' });
    expect(await detectHf(dir)).toEqual({ ok: false, reason: 'no config.json there' });
  });

  it('is registered as "hf"', async () => {
    expect(formatById('hf')?.detect).toBe(detectHf);
  });
});
