// The mapping sheet's optional `contains` column: what a source class also holds outside its
// target (Cityscapes `terrain` holds curbs). Coverage reads it; the lookup tables do not change.
import { describe, expect, it } from 'vitest';
import { checkMapping } from '../../src/rules/mappings.js';
import { diffSheets } from '../../src/versioning/diff.js';
import { buildBundle } from '../../src/taxonomy/merge.js';
import { dataset, sheet, taxonomy, vertical } from './sheets.js';

const TAXONOMY = taxonomy(`
  1 ground
  2 sidewalk ground
  3 curb sidewalk
  4 terrain
  5 rider
  6 bicyclist rider
  7 motorcyclist rider
  8 pram
`);

function mappingWith(rows: string) {
  return sheet('mapping', 'ds@1.0.0', `source,target,note,contains\n${rows}`);
}

function coverage(rows: string, verticalLines: string | null, coarse: 'set' | 'ignore' = 'set') {
  const m = mappingWith(rows);
  const ds = dataset(m.rows.map((r, i) => `${i} ${r.source}`).join('\n'));
  const { bundle } = buildBundle({ taxonomy: TAXONOMY, vertical: verticalLines === null ? null : vertical(verticalLines), datasets: [{ dataset: ds, mapping: m }], coarse });
  return { bundle: bundle!, cov: Object.fromEntries(bundle!.datasets[0]!.coverage.map((c) => [c.label, [c.status, ...(c.because ?? [])]])) };
}

describe('mapping contains', () => {
  const VERTICAL = 'sidewalk sidewalk\ncurb curb\nterrain terrain\nbicyclist bicyclist\nmotorcyclist motorcyclist\npram pram';

  it('a class trained as one label makes the labels of what it contains partial, naming itself', () => {
    const { cov, bundle } = coverage('terrain,terrain,,curb\nsidewalk,sidewalk,,\ndynamic,ignore,,pram\n', VERTICAL);
    expect(cov.terrain).toEqual(['full']);
    expect(cov.curb).toEqual(['partial', 'terrain', 'sidewalk']);
    // Cityscapes-like sidewalk (target's subtree holds curb) is coarse: a set sidewalk|curb, partial for both.
    expect(cov.sidewalk).toEqual(['partial', 'sidewalk']);
    // An ignored class hides what it contains: no label learns a pram as something else.
    expect(cov.pram).toEqual(['none']);
    // The lookup table is the same as without the column.
    const plain = coverage('terrain,terrain,,\nsidewalk,sidewalk,,\ndynamic,ignore,,\n', VERTICAL).bundle;
    expect(bundle.datasets[0]!.lut).toEqual(plain.datasets[0]!.lut);
    expect(plain.datasets[0]!.coverage.find((c) => c.label === 'curb')!.because).toEqual(['sidewalk']);
  });

  it('a contained class in the label the source is trained as changes nothing; a label set counts its members', () => {
    // The vertical puts curb in sidewalk: a terrain pixel that is a curb is still mislabelled (terrain), a sidewalk one is not.
    const grouped = coverage('terrain,terrain,,curb\nwalk,sidewalk,,curb\n', 'sidewalk sidewalk\nterrain terrain');
    expect(grouped.cov.sidewalk).toEqual(['partial', 'terrain']);
    expect(grouped.cov.terrain).toEqual(['full']);
    // A rider set (bicyclist|motorcyclist) that also holds prams makes pram partial; with --coarse ignore it does not.
    expect(coverage('rider,rider,,pram\npram,pram,,\n', VERTICAL).cov.pram).toEqual(['partial', 'rider']);
    expect(coverage('rider,rider,,pram\npram,pram,,\n', VERTICAL, 'ignore').cov.pram).toEqual(['full']);
  });

  it('the unified set: every contained class is its own label', () => {
    const { cov } = coverage('terrain,terrain,,curb pram\n', null);
    expect(cov.curb).toEqual(['partial', 'terrain']);
    expect(cov.pram).toEqual(['partial', 'terrain']);
    expect(cov.terrain).toEqual(['full']);
  });

  it('a contained name that is no taxonomy class is an error at its cell', () => {
    const m = mappingWith('terrain,terrain,,curbs\n');
    const found = checkMapping(m, dataset('0 terrain'), TAXONOMY);
    expect(found.map((f) => [f.code, f.severity, f.line, f.column, f.args.contains, f.args.suggestion])).toEqual([
      ['mapping-contains-unknown', 'error', 2, 4, 'curbs', 'curb'],
    ]);
  });

  it('diff: a changed contains cell is a minor change of its own', () => {
    const before = mappingWith('terrain,terrain,,\n').rows;
    const after = mappingWith('terrain,terrain,,curb\n').rows;
    expect(diffSheets('mapping', before, after).map((c) => [c.rule, c.level, c.key, c.before, c.after])).toEqual([
      ['mapping-contains-changed', 'minor', 'terrain', '', 'curb'],
    ]);
  });
});
