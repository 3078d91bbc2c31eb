import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findLabels } from '../../src/explore/index.js';
import { loadLabelIndex } from '../../src/explore/load.js';
import { matchLevel, nameKey, nameTokens, normalizerSource } from '../../src/text/normalize.js';
import { FIXTURES, ROOT, runCli } from '../helpers/cli.js';

const SHEETS = path.join(FIXTURES, 'explore', 'sheets');

describe('nameTokens: the one normaliser of names and queries', () => {
  it.each([
    ['Bicycle', ['bicycle']],
    ['bicycles', ['bicycle']],
    ['Traffic-Lights', ['traffic', 'light']],
    ['construction--flat--bike-lane', ['construction', 'flat', 'bike', 'lane']],
    ['trafficLight', ['traffic', 'light']],
    ['people', ['person']],
    ['buses', ['bus']],
    ['bus', ['bus']],
    ['glass', ['glass']],
    ['categories', ['category']],
    ['boxes', ['box']],
    ['  ', []],
    ['ＢＩＫＥ', ['bike']],
  ])('%j -> %j', (text, tokens) => {
    expect(nameTokens(text)).toEqual(tokens);
  });

  it('keys and match levels: exact 3, every word 2, part of a word 1, none 0', () => {
    expect(nameKey('Traffic Lights')).toBe('traffic_light');
    expect(matchLevel(nameTokens('traffic lights'), 'traffic_light')).toBe(3);
    expect(matchLevel(nameTokens('light'), 'traffic light')).toBe(2);
    expect(matchLevel(nameTokens('bicycle'), 'motorbicycle')).toBe(1);
    expect(matchLevel(nameTokens('ca'), 'car')).toBe(0);
    expect(matchLevel([], 'car')).toBe(0);
  });

  it('its source runs on its own, as the report page runs it', () => {
    const run = new Function(`${normalizerSource()}\nreturn [nameTokens('Bicycles'), matchLevel(nameTokens('light'), 'Traffic lights')];`);
    expect(run()).toEqual([['bicycle'], 2]);
  });
});

describe('findLabels over a small sheet set (fixtures/explore/sheets)', () => {
  const { index } = loadLabelIndex(SHEETS);

  it('groups by taxonomy class every dataset class that maps there, and marks the ones that matched', () => {
    const r = findLabels(index, 'bicycles');
    expect(r.groups.map((g) => g.target)).toEqual(['bicycle']);
    const g = r.groups[0]!;
    expect(g.class?.path).toEqual(['vehicle', 'bicycle']);
    expect(g.matched).toEqual(expect.arrayContaining(['taxonomy name', 'dataset class (photos)', 'dataset class (streets)', 'output (drive)']));
    expect(g.sources.map((s) => [s.dataset, s.id, s.name, s.matched])).toEqual([
      ['photos', 2, 'bicycle', true],
      ['streets', 33, 'bicycle', true],
    ]);
    const photos = g.sources[0]!;
    expect(photos.instances).toBe(30);
    expect(photos.landings.map((l) => [l.vertical, l.kind, l.output])).toEqual([
      ['count', 'label', 'vehicle'],
      ['drive', 'label', 'bicycle'],
    ]);
  });

  it('finds a class through a dataset synonym (x_synonyms), and says so', () => {
    const r = findLabels(index, 'bikers');
    expect(r.groups.map((g) => g.target)).toEqual(['rider']);
    expect(r.groups[0]!.matched).toEqual(['dataset class (streets)']);
  });

  it('a dataset name that means different things lands in different groups (person)', () => {
    const r = findLabels(index, 'person');
    const targets = r.groups.map((g) => g.target);
    expect(targets).toContain('person'); // photos: anyone
    expect(targets).toContain('pedestrian'); // streets: a person on foot
    const photos = r.groups.find((g) => g.target === 'person')!.sources.find((s) => s.dataset === 'photos')!;
    const drive = photos.landings.find((l) => l.vertical === 'drive')!;
    // Coarser than the vertical (pedestrian | rider): not a single label.
    expect(drive.kind).not.toBe('label');
  });

  it('falls back to whole words of the descriptions only when no name matches', () => {
    expect(findLabels(index, 'paint').groups.map((g) => [g.target, g.matched])).toEqual([['lane_marking', ['description']]]);
    // "pedal" is in bicycle's description, but only a name match counts when there is one:
    expect(findLabels(index, 'car').groups.map((g) => g.target)).toEqual(['car']);
  });

  it('nothing for nonsense and for an empty query', () => {
    expect(findLabels(index, 'zzzz').groups).toEqual([]);
    expect(findLabels(index, '').groups).toEqual([]);
  });
});

describe('labelmap find (the real binary)', () => {
  it('prints the groups with a column per vertical, exit 0', () => {
    const r = runCli(['--sheets', SHEETS, 'find', 'Bicycles', '--vertical', 'drive']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('bicycle (taxonomy id 25, vehicle > bicycle)');
    expect(r.stdout).toMatch(/photos\s+2\s+bicycle \*\s+bicycle/);
    expect(r.stdout).not.toContain('count');
    expect(r.stderr).toContain('{a|b} a label set');
  });

  it('--json: the envelope and the groups; nothing found is exit 1 with a hint', () => {
    const r = runCli(['--sheets', SHEETS, '--json', 'find', 'traffic', 'lights']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ format: 'labelmap-find', format_version: 1, query: 'traffic lights' });
    expect(json.groups[0].target).toBe('traffic_light');
    const none = runCli(['--sheets', SHEETS, 'find', 'zzzz']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('nothing matches "zzzz"');
  });

  it('an unknown --vertical is exit 2 naming the verticals', () => {
    const r = runCli(['--sheets', SHEETS, 'find', 'car', '--vertical', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('count, drive');
  });

  it('works on the shipped sheets: bicycle is found in every dataset that labels it', () => {
    const r = runCli(['--json', 'find', 'bicycle'], { cwd: path.join(ROOT, 'fixtures') });
    expect(r.code).toBe(0);
    const g = JSON.parse(r.stdout).groups.find((x: { target: string }) => x.target === 'bicycle');
    expect(g.sources.map((s: { dataset: string }) => s.dataset)).toEqual(expect.arrayContaining(['cityscapes', 'coco', 'voc', 'mapillary-vistas-v2.0']));
  });
});
