// Issue 24: names from data that are also names of Object.prototype (`__proto__`, `constructor`,
// `hasOwnProperty`) are names like any other: datasets named `constructor` / `hasownproperty`
// (sheet file names are lower case), native classes `__proto__`, `constructor`, `hasOwnProperty`,
// taxonomy classes and output labels `constructor`, `has_own_property`; through merge, export, the
// report and LabelSpace.reverse() (a bundle may name a dataset `__proto__`).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBundle } from '../../src/api/bundle.js';
import { LabelSpace } from '../../src/api/label-api.js';
import { runInProcess, tempDir } from '../helpers/cli.js';

const TAXONOMY = 'id,name,parent,display_name,color,is_thing,description\n1,constructor,,,,,\n2,has_own_property,,,,,\n3,to_string,constructor,,,,\n';
const VERTICAL = 'class,include,train_id,color\nconstructor,constructor,,\nhas_own_property,has_own_property,,\nproto,to_string,,\n';
const DATASET = 'id,name,display_name,category,train_id,color,is_thing,evaluate\n0,__proto__,,,,,,\n1,constructor,,,,,,\n2,hasOwnProperty,,,,,,\n';
const MAPPING = 'source,target,note\n__proto__,to_string,\nconstructor,constructor,\nhasOwnProperty,has_own_property,\n';

function repo(): string {
  const files: Record<string, string> = { 'sheets/taxonomy/core@1.0.0.csv': TAXONOMY, 'sheets/verticals/product@1.0.0.csv': VERTICAL };
  for (const d of ['constructor', 'hasownproperty']) {
    files[`sheets/datasets/${d}@1.0.0.csv`] = DATASET;
    files[`sheets/mappings/${d}@1.0.0.csv`] = MAPPING;
  }
  return tempDir(files);
}

describe('prototype names as data', () => {
  const dir = repo();

  it('merge: every class in its LUT, each dataset its own lut/*.csv', async () => {
    const r = await runInProcess(['merge', '--vertical', 'product', '--out', 'build', '--quiet'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const d of ['constructor', 'hasownproperty']) {
      expect(readFileSync(path.join(dir, 'build', 'lut', `${d}.csv`), 'utf8')).toBe(
        'id,name,target,kind,train_id,label,set,reason\n' +
          '0,__proto__,to_string,label,2,proto,,mapped\n' +
          '1,constructor,constructor,set,3,,constructor|proto,coarser than vertical\n' +
          '2,hasOwnProperty,has_own_property,label,1,has_own_property,,mapped\n',
      );
    }
  });

  it('export: the labels keep their names (hf config.json read back)', async () => {
    const r = await runInProcess(['export', '--format', 'hf', '--bundle', 'build', '--out', 'hf.json', '--quiet'], { cwd: dir });
    expect(r.code).toBe(0);
    const config = JSON.parse(readFileSync(path.join(dir, 'hf.json'), 'utf8')) as { id2label: Record<string, string>; label2id: Record<string, number> };
    expect(Object.entries(config.label2id).slice(0, 3)).toEqual([
      ['constructor', 0],
      ['has_own_property', 1],
      ['proto', 2],
    ]);
  });

  it('reverse(): a dataset named __proto__ or constructor is a key of sources and coverage like any other', () => {
    const text = readFileSync(path.join(dir, 'build', 'labelmap.json'), 'utf8').replaceAll('"name": "hasownproperty"', '"name": "__proto__"');
    const space = new LabelSpace(parseBundle(text));
    const r = space.reverse('proto');
    expect(Object.keys(r.sources)).toEqual(['constructor', '__proto__']);
    expect(Object.hasOwn(r.sources, '__proto__')).toBe(true);
    expect(r.sources['__proto__']).toEqual(['__proto__']);
    expect(r.sources['constructor']).toEqual(['__proto__']);
    expect(r.coverage['__proto__']).toBe('partial');
    expect(Object.keys(r.coverage)).toEqual(['constructor', '__proto__']);
    const own = space.reverse('has_own_property').sources;
    expect(Object.entries(own)).toEqual([
      ['constructor', ['hasOwnProperty']],
      ['__proto__', ['hasOwnProperty']],
    ]);
  });

  it('the report page builds its tree from these names (null-prototype tables in the page script)', async () => {
    const r = await runInProcess(['report', '--out', 'report.html', '--quiet'], { cwd: dir });
    expect(r.code).toBe(0);
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(html).toContain('function dict() { return Object.create(null); }');
    expect(html).not.toMatch(/var (childrenOf|byName|sourcesOf|byDs|nodeEls|matrices|lutTables) = \{\}/);
  });
});
