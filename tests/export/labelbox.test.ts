// The labelbox export, read as the Labelbox Python SDK reads an ontology: OntologyBuilder.from_dict
// (labelbox-python, schema/ontology.py and schema/tool_building/classification.py) takes every
// tool's "name", "tool" (a Tool.Type value), "color" and "classifications", and every
// classification's "type" (a Classification.Type value), "name", "instructions" and "options"
// (each with "value" and "label"); asdict() writes exactly the keys checked below. Then back
// through labelmap's own Labelbox reader: the classes come back in train-id order.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSheets } from '../../src/api/index.js';
import { renderExport } from '../../src/export/render.js';
import type { Shape } from '../../src/export/types.js';
import { labelbox as labelboxReader } from '../../src/formats/labelbox.js';
import { ROOT, tempDir } from '../helpers/cli.js';
import { BUNDLES, fixtureBundle } from './helpers.js';

/** Tool.Type of the SDK. */
const TOOL_TYPES = ['polygon', 'superpixel', 'raster-segmentation', 'point', 'rectangle', 'line', 'named-entity', 'edge', 'message-single-selection', 'message-multi-selection', 'message-ranking', 'marker'];
const CLASSIFICATION_TYPES = ['text', 'checklist', 'radio', 'group'];

interface Ontology {
  tools: Record<string, unknown>[];
  classifications: { type: string; name: string; instructions: string; options: Record<string, unknown>[]; scope: string }[];
}

describe('--format labelbox', () => {
  it.each(BUNDLES)('%s: one tool per output label, in train-id order, with the keys OntologyBuilder reads and writes', (name) => {
    const bundle = fixtureBundle(name);
    const o = JSON.parse(renderExport(bundle, 'labelbox')) as Ontology;
    expect(Object.keys(o)).toEqual(['tools', 'classifications']);
    expect(o.tools.map((t) => t.name)).toEqual(bundle.labels.map((l) => l.name));
    for (const [i, t] of o.tools.entries()) {
      expect(Object.keys(t)).toEqual(['tool', 'name', 'required', 'color', 'classifications', 'schemaNodeId', 'featureSchemaId', 'attributes']);
      expect(TOOL_TYPES).toContain(t.tool);
      expect(t.color).toBe(bundle.labels[i]!.color.toLowerCase());
      expect(t.color).toMatch(/^#[0-9a-f]{6}$/);
      expect(t).toMatchObject({ tool: 'polygon', required: false, classifications: [], schemaNodeId: null, featureSchemaId: null, attributes: null });
    }
    // The SDK refuses duplicate tool names (InconsistentOntologyException).
    expect(new Set(o.tools.map((t) => t.name)).size).toBe(o.tools.length);
  });

  it.each([
    ['polygon', 'polygon'],
    ['rectangle', 'rectangle'],
    ['mask', 'raster-segmentation'],
  ] as [Shape, string][])('--shape %s gives the tool kind %s', (shape, tool) => {
    const o = JSON.parse(renderExport(fixtureBundle('self-driving'), 'labelbox', { shape })) as Ontology;
    expect(new Set(o.tools.map((t) => t.tool))).toEqual(new Set([tool]));
  });

  it('carries the image attributes as global radio classifications, one option per value, positions from 0', () => {
    const bundle = openSheets(path.join(ROOT, 'sheets'), { vertical: 'self-driving' }).bundle;
    const o = JSON.parse(renderExport(bundle, 'labelbox')) as Ontology;
    const keys = bundle.attributes?.keys ?? [];
    expect(keys.length).toBeGreaterThan(0);
    expect(o.classifications.map((c) => c.name)).toEqual(keys.map((k) => k.key));
    for (const [i, c] of o.classifications.entries()) {
      expect(CLASSIFICATION_TYPES).toContain(c.type);
      expect(c).toMatchObject({ type: 'radio', instructions: c.name, required: false, scope: 'global', schemaNodeId: null, featureSchemaId: null, attributes: null });
      // A radio classification needs options (asdict raises InconsistentOntologyException without).
      expect(c.options.length).toBeGreaterThan(0);
      expect(c.options).toEqual(keys[i]!.values.map((v, position) => ({ schemaNodeId: null, featureSchemaId: null, label: v.value, value: v.value, options: [], position })));
    }
    expect((JSON.parse(renderExport(fixtureBundle('self-driving'), 'labelbox')) as Ontology).classifications).toEqual([]);
  });

  it('reads back through labelmap extract labelbox: the same classes in train-id order, colours and tool kinds', async () => {
    const bundle = fixtureBundle('tricky-names');
    const file = path.join(tempDir(), 'ontology.json');
    writeFileSync(file, renderExport(bundle, 'labelbox', { shape: 'rectangle' }));
    expect(await labelboxReader.detect(file)).toMatchObject({ ok: true });
    const back = await labelboxReader.extract(file, { stats: false });
    expect(back.rows.map((r) => r.name)).toEqual(bundle.labels.map((l) => l.name));
    expect(back.rows.map((r) => r.color)).toEqual(bundle.labels.map((l) => l.color.toLowerCase()));
    expect(new Set(back.rows.map((r) => r.extra.x_tool))).toEqual(new Set(['rectangle']));
    expect(readFileSync(file, 'utf8').endsWith('}\n')).toBe(true);
  });
});
