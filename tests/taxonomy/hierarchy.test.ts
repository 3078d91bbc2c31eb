import { describe, expect, it } from 'vitest';
import { buildHierarchy } from '../../src/taxonomy/hierarchy.js';
import { taxonomy } from './sheets.js';

describe('buildHierarchy', () => {
  const h = buildHierarchy(taxonomy('20 vehicle\n1 road\n22 truck vehicle\n21 car vehicle\n24 two_wheeler vehicle\n25 bicycle two_wheeler').rows);

  it('orders classes, children and subtrees by taxonomy id', () => {
    expect(h.classes.map((c) => c.name)).toEqual(['road', 'vehicle', 'car', 'truck', 'two_wheeler', 'bicycle']);
    expect(h.childrenOf('vehicle')).toEqual(['car', 'truck', 'two_wheeler']);
    expect(h.subtreeOf('vehicle')).toEqual(['vehicle', 'car', 'truck', 'two_wheeler', 'bicycle']);
    expect(h.subtreeOf('road')).toEqual(['road']);
    expect(h.subtreeOf('nothing')).toEqual([]);
  });

  it('walks ancestors nearest first', () => {
    expect(h.ancestorsOf('bicycle')).toEqual(['two_wheeler', 'vehicle']);
    expect(h.parentOf('vehicle')).toBeNull();
    expect(h.isWithin('bicycle', 'vehicle')).toBe(true);
    expect(h.isWithin('vehicle', 'vehicle')).toBe(true);
    expect(h.isWithin('road', 'vehicle')).toBe(false);
  });

  it('does not loop on a cycle or fail on an unknown parent (the rules report both)', () => {
    const broken = buildHierarchy(taxonomy('1 a b\n2 b a\n3 c a\n4 d nowhere\n5 e e').rows);
    expect(broken.ancestorsOf('c')).toEqual(['a', 'b']);
    expect(broken.subtreeOf('a')).toEqual(['a', 'b', 'c']);
    expect(broken.parentOf('d')).toBeNull();
    expect(broken.parentOf('e')).toBeNull();
    expect(broken.subtreeOf('e')).toEqual(['e']);
  });
});
