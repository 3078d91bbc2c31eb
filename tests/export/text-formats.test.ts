// labelme's labels.txt and labelImg's predefined_classes.txt: one name per line, as those tools read them.
import { describe, expect, it } from 'vitest';
import { renderExport } from '../../src/export/render.js';
import { fixtureBundle } from './helpers.js';

/** How labelme2voc.py reads labels.txt: class id = line index - 1, __ignore__ = -1, _background_ = 0. */
function labelmeClasses(text: string): Map<string, number> {
  const ids = new Map<string, number>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() !== '') ids.set(line.trim(), i - 1);
  });
  return ids;
}

describe('--format labelme', () => {
  it('__ignore__ and _background_ first, then the labels in train-id order', () => {
    const text = renderExport(fixtureBundle('self-driving'), 'labelme');
    const ids = labelmeClasses(text);
    expect([ids.get('__ignore__'), ids.get('_background_'), ids.get('road'), ids.get('sky')]).toEqual([-1, 0, 1, 9]);
    expect([...ids.keys()].slice(2)).toEqual(fixtureBundle('self-driving').labels.map((l) => l.name));
    expect(text.endsWith('sky\n')).toBe(true);
  });

  it('has no placeholders: annotators see only real labels', () => {
    const text = renderExport(fixtureBundle('unified-16'), 'labelme');
    expect(text.split('\n')).toHaveLength(2 + 9 + 1);
    expect(text).not.toContain('__unused_');
  });
});

describe('--format labelimg', () => {
  it('line n = train id n, so labelImg writes train ids into YOLO files', () => {
    const lines = renderExport(fixtureBundle('unified-16'), 'labelimg').split('\n');
    expect(lines).toHaveLength(1001 + 1);
    expect(lines.at(-1)).toBe('');
    for (const l of fixtureBundle('unified-16').labels) expect(lines[l.train_id]).toBe(l.name);
    expect(lines[2]).toBe('__unused_2__');
  });
});
