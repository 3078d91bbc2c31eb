import { describe, expect, it } from 'vitest';
import {
  actualBump,
  BUMP_RULES,
  compareLevels,
  isBumpEnough,
  levelAtLeast,
  maxLevel,
  nextVersion,
  requiredBump,
  type ActualBump,
  type Level,
} from '../../src/versioning/bump.js';

describe('levels', () => {
  it('orders patch < minor < major', () => {
    expect(compareLevels('patch', 'minor')).toBeLessThan(0);
    expect(compareLevels('major', 'minor')).toBeGreaterThan(0);
    expect(levelAtLeast('minor', 'minor')).toBe(true);
    expect(levelAtLeast('patch', 'minor')).toBe(false);
    expect(maxLevel(['patch', null, 'minor', 'patch'])).toBe('minor');
    expect(maxLevel([])).toBeNull();
  });

  it('requiredBump is the highest level among the changes, null for none', () => {
    expect(requiredBump([])).toBeNull();
    expect(requiredBump([{ level: 'patch' }, { level: 'major' }, { level: 'minor' }])).toBe('major');
    expect(requiredBump([{ level: 'patch' }, { level: 'patch' }])).toBe('patch');
  });

  it('every rule has a level and a reason', () => {
    for (const [id, rule] of Object.entries(BUMP_RULES)) {
      expect(['major', 'minor', 'patch'], id).toContain(rule.level);
      expect(rule.why.length, id).toBeGreaterThan(10);
    }
    // The defaults the design names.
    expect(BUMP_RULES['class-removed'].level).toBe('major');
    expect(BUMP_RULES['class-added'].level).toBe('minor');
    expect(BUMP_RULES['mapping-retarget'].level).toBe('major');
    expect(BUMP_RULES['mapping-added'].level).toBe('minor');
    expect(BUMP_RULES['output-added'].level).toBe('minor');
    expect(BUMP_RULES['text-changed'].level).toBe('patch');
    expect(BUMP_RULES['counts-changed'].level).toBe('patch');
  });
});

describe('versions', () => {
  const NEXT: [string, Level, string][] = [
    ['1.4.2', 'patch', '1.4.3'],
    ['1.4.2', 'minor', '1.5.0'],
    ['1.4.2', 'major', '2.0.0'],
    ['0.1.0', 'minor', '0.2.0'],
    ['2.0.0-rc.1', 'major', '2.0.0'],
  ];
  for (const [from, level, to] of NEXT) {
    it(`nextVersion(${from}, ${level}) = ${to}`, () => expect(nextVersion(from, level)).toBe(to));
  }

  it('nextVersion refuses a non-version', () => {
    expect(() => nextVersion('latest', 'patch')).toThrow(/not a semantic version/);
  });

  const STEPS: [string, string, ActualBump][] = [
    ['1.0.0', '1.0.0', 'none'],
    ['1.0.0', '1.0.1', 'patch'],
    ['1.0.0', '1.1.0', 'minor'],
    ['1.0.0', '1.1.5', 'minor'],
    ['1.0.0', '2.0.0', 'major'],
    ['1.0.0', '3.0.0', 'major'],
    ['1.0.0', '2.0.0-rc.1', 'major'],
    ['1.2.0-rc.1', '1.2.0', 'minor'],
    ['2.0.0-rc.1', '2.0.0-rc.2', 'patch'],
    ['1.1.0', '1.0.0', 'lower'],
  ];
  for (const [from, to, step] of STEPS) {
    it(`actualBump(${from}, ${to}) = ${step}`, () => expect(actualBump(from, to)).toBe(step));
  }

  const ENOUGH: [ActualBump, Level | null, boolean][] = [
    ['major', 'major', true],
    ['major', 'patch', true],
    ['minor', 'major', false],
    ['patch', 'minor', false],
    ['none', null, true],
    ['none', 'patch', false],
    ['lower', null, false],
    ['patch', null, true],
  ];
  for (const [actual, required, ok] of ENOUGH) {
    it(`a ${actual} step ${ok ? 'covers' : 'does not cover'} ${required ?? 'no change'}`, () =>
      expect(isBumpEnough(actual, required)).toBe(ok));
  }
});

describe('docs/versioning.md', () => {
  it('lists every bump rule with its level', async () => {
    const { readFileSync } = await import('node:fs');
    const { ROOT } = await import('../helpers/cli.js');
    const text = readFileSync(`${ROOT}/docs/versioning.md`, 'utf8');
    const documented = new Map([...text.matchAll(/^\| `([a-z-]+)` \| (major|minor|patch) \|/gm)].map((m) => [m[1], m[2]]));
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(Object.entries(BUMP_RULES).map(([k, v]) => [k, v.level])));
  });
});
