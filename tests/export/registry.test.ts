// Every export format: registered once under its file name, deterministic, LF text with a final
// newline, and checked input.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPORTS, exportById } from '../../src/export/index.js';
import { renderExport } from '../../src/export/render.js';
import type { Bundle } from '../../src/taxonomy/types.js';
import { ROOT } from '../helpers/cli.js';
import { BUNDLES, codeOf, fixtureBundle } from './helpers.js';

describe('the export registry', () => {
  it('has the formats of the issue, each in src/export/<id>.ts', () => {
    expect(EXPORTS.map((f) => f.id)).toEqual(['json', 'python', 'hf', 'yolo', 'coco', 'mmseg', 'mmdet', 'detectron2', 'cvat', 'label-studio', 'labelbox', 'labelme', 'labelimg', 'via']);
    for (const f of EXPORTS) {
      expect(existsSync(path.join(ROOT, 'src', 'export', `${f.id}.ts`)), f.id).toBe(true);
      expect(f.file.endsWith(`.${f.extension}`), f.id).toBe(true);
    }
  });

  it.each(EXPORTS.map((f) => f.id))('%s: same bundle, same bytes; LF; a final newline', (id) => {
    for (const name of BUNDLES) {
      const bundle = fixtureBundle(name);
      const first = renderExport(bundle, id);
      expect(renderExport(structuredClone(bundle) as Bundle, id), name).toBe(first);
      expect(first.endsWith('\n'), name).toBe(true);
      expect(first.includes('\r'), name).toBe(false);
    }
  });

  it('an unknown format names the known ones', () => {
    expect(codeOf(() => exportById('pascal'))).toContain('unknown-export: error unknown-export: unknown export format "pascal" (formats: json, python, hf,');
  });

  it('--shape only where a format takes it', () => {
    const b = fixtureBundle('self-driving');
    expect(codeOf(() => renderExport(b, 'python', { shape: 'mask' }))).toContain('--shape does not apply to --format python');
    expect(codeOf(() => renderExport(b, 'label-studio', { shape: 'any' }))).toContain('--format label-studio takes --shape polygon, rectangle, mask, not any');
    expect(codeOf(() => renderExport(b, 'cvat', { shape: 'mask' }))).toBe('no error');
  });

  it('checks a bundle that did not come through readBundle before rendering it', () => {
    const b = structuredClone(fixtureBundle('self-driving')) as Bundle;
    b.datasets[0]!.lut[3]!.train_id = 9;
    expect(codeOf(() => renderExport(b, 'python'))).toContain('bundle-invalid: bundle $.datasets[0].lut[3].train_id: error bundle-invalid');
  });

  it('an empty label set renders without crashing', () => {
    const b = structuredClone(fixtureBundle('self-driving')) as Bundle;
    b.labels = [];
    for (const d of b.datasets) {
      d.coverage = [];
      d.lut = d.lut.map((e) => ({ ...e, kind: 'ignore', train_id: 255, label: null, set: null, reason: e.target === null ? 'ignored by mapping' : 'not in vertical' }));
    }
    for (const f of EXPORTS) {
      if (f.id === 'mmdet' || f.id === 'yolo') continue; // detection formats refuse a set without things
      expect(() => renderExport(b, f.id), f.id).not.toThrow();
    }
  });
});
