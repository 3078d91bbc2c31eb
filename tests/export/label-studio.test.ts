// The label-studio export, parsed as XML (saxes, a conforming non-validating parser).
import { describe, expect, it } from 'vitest';
import { renderExport } from '../../src/export/render.js';
import type { Shape } from '../../src/export/types.js';
import { BUNDLES, fixtureBundle, parseXml } from './helpers.js';

describe('--format label-studio', () => {
  it.each(BUNDLES)('%s: a View with an Image and a control tag holding one Label per output label', (name) => {
    const bundle = fixtureBundle(name);
    const view = parseXml(renderExport(bundle, 'label-studio'));
    expect(view.name).toBe('View');
    const [image, control] = view.children;
    expect(image).toMatchObject({ name: 'Image', attributes: { name: 'image', value: '$image' } });
    expect(control).toMatchObject({ name: 'PolygonLabels', attributes: { name: 'label', toName: 'image' } });
    expect(control!.children.map((c) => [c.name, c.attributes.value, c.attributes.background])).toEqual(
      bundle.labels.map((l) => ['Label', l.name, l.color.toLowerCase()]),
    );
  });

  it.each([
    ['polygon', 'PolygonLabels'],
    ['rectangle', 'RectangleLabels'],
    ['mask', 'BrushLabels'],
  ] as [Shape, string][])('--shape %s uses <%s>', (shape, tag) => {
    const view = parseXml(renderExport(fixtureBundle('self-driving'), 'label-studio', { shape }));
    expect(view.children[1]!.name).toBe(tag);
  });

  it('escapes names so that the parser gives them back exactly', () => {
    const xml = renderExport(fixtureBundle('tricky-names'), 'label-studio');
    expect(xml).toContain('<Label value="a&lt;b&gt;&amp;&quot;c&quot;&apos;" background="#ffffff"/>');
    expect(parseXml(xml).children[1]!.children[2]!.attributes.value).toBe('a<b>&"c"\'');
  });

  it('the parser refuses broken XML (the check can fail)', () => {
    expect(() => parseXml('<View><Label value="a&b"/></View>')).toThrow();
  });
});
