// The image attributes of a bundle in the annotation-tool exports, read as the tools read them:
// Label Studio's config parsed as XML (saxes), CVAT's labels as JSON in the shape of cvat-core's
// SerializedLabel / SerializedAttribute (label type "tag", attribute input_type "select").
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSheets } from '../../src/api/index.js';
import { renderExport } from '../../src/export/render.js';
import type { Bundle } from '../../src/taxonomy/types.js';
import { ROOT, runInProcess } from '../helpers/cli.js';
import { codeOf, fixtureBundle, parseXml } from './helpers.js';

const SHEETS = path.join(ROOT, 'sheets');
const shipped = openSheets(SHEETS, { vertical: 'self-driving' }).bundle;

/** The shipped bundle with its vocabulary replaced. */
function withVocabulary(keys: { key: string; values: string[] }[]): Bundle {
  const b = structuredClone(shipped);
  b.attributes = { ...b.attributes!, keys: keys.map((k) => ({ key: k.key, values: k.values.map((value) => ({ value, display_name: '', description: '' })) })) };
  return b;
}

describe('label-studio: image attributes as <Choices>', () => {
  it('one single-choice <Choices> per key on the image, one <Choice> per value, after the labels', () => {
    const view = parseXml(renderExport(shipped, 'label-studio'));
    const [image, labels, ...rest] = view.children;
    expect(image!.attributes).toEqual({ name: 'image', value: '$image' });
    expect(labels!.children).toHaveLength(shipped.labels.length);
    const vocabulary = shipped.attributes!.keys;
    expect(rest.map((e) => [e.name, e.attributes.value ?? e.attributes.name])).toEqual(vocabulary.flatMap((k) => [['Header', k.key], ['Choices', k.key]]));
    const choices = rest.filter((e) => e.name === 'Choices');
    for (const [i, c] of choices.entries()) {
      expect(c.attributes).toEqual({ name: vocabulary[i]!.key, toName: 'image', choice: 'single', showInline: 'true' });
      expect(c.children.map((x) => [x.name, x.attributes.value])).toEqual(vocabulary[i]!.values.map((v) => ['Choice', v.value]));
    }
    expect(choices[0]!.children.map((x) => x.attributes.value)).toEqual(['clear', 'cloudy', 'rain', 'snow', 'fog']);
    // Every control tag name is unique in the config (Label Studio's rule).
    const names = [labels!, ...choices].map((e) => e.attributes.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('escapes keys and values so that the parser gives them back exactly; refuses what XML cannot hold', () => {
    const b = withVocabulary([{ key: 'k&"<', values: ['a<b>&"c"\'', 'plain'] }]);
    const choices = parseXml(renderExport(b, 'label-studio')).children.find((e) => e.name === 'Choices')!;
    expect(choices.attributes.name).toBe('k&"<');
    expect(choices.children.map((c) => c.attributes.value)).toEqual(['a<b>&"c"\'', 'plain']);
    expect(codeOf(() => renderExport(withVocabulary([{ key: 'k', values: ['a\u0001b'] }]), 'label-studio'))).toMatch(/^export-name-invalid: .*attribute value/);
  });

  it('a key named image or label is refused: it would be the same tag as the image or the labels', () => {
    expect(codeOf(() => renderExport(withVocabulary([{ key: 'label', values: ['x'] }]), 'label-studio'))).toMatch(/^export-attribute-key-taken: .*the attribute key "label" is also the name of a tag/);
  });

  it('a bundle without attributes gives the config as before', () => {
    expect(parseXml(renderExport(fixtureBundle('self-driving'), 'label-studio')).children.map((e) => e.name)).toEqual(['Image', 'PolygonLabels']);
  });
});

describe('cvat: image attributes as tag labels', () => {
  it('one tag label per key after the output labels, its select attribute holding the values', () => {
    const labels = JSON.parse(renderExport(shipped, 'cvat')) as Record<string, any>[];
    expect(labels.slice(0, shipped.labels.length).map((l) => l.name)).toEqual(shipped.labels.map((l) => l.name));
    const tags = labels.slice(shipped.labels.length);
    expect(tags.map((t) => t.name)).toEqual(shipped.attributes!.keys.map((k) => k.key));
    expect(tags[0]).toEqual({
      name: 'weather',
      type: 'tag',
      attributes: [{ name: 'value', mutable: false, input_type: 'select', default_value: 'clear', values: ['clear', 'cloudy', 'rain', 'snow', 'fog'] }],
    });
    // What cvat-core's Attribute constructor and the server check: a known input type, a default among the values.
    for (const t of tags) {
      expect(t.type).toBe('tag');
      for (const a of t.attributes) {
        expect(['checkbox', 'radio', 'select', 'number', 'text']).toContain(a.input_type);
        expect(a.values).toContain(a.default_value);
      }
    }
    const names = labels.map((l) => l.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('a key named as an output label is refused; --shape does not change the tags', () => {
    expect(codeOf(() => renderExport(withVocabulary([{ key: shipped.labels[0]!.name, values: ['x'] }]), 'cvat'))).toMatch(/^export-attribute-key-taken: .*also an output label in the cvat export/);
    const rect = JSON.parse(renderExport(shipped, 'cvat', { shape: 'rectangle' })) as { type: string }[];
    expect(new Set(rect.map((l) => l.type))).toEqual(new Set(['rectangle', 'tag']));
  });

  it('labelmap export --vertical carries them (the merged vocabulary)', async () => {
    const r = await runInProcess(['--sheets', SHEETS, 'export', '--vertical', 'self-driving', '--format', 'label-studio'], { env: { NO_COLOR: '1' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('<Choices name="time_of_day" toName="image" choice="single" showInline="true">');
  });
});
