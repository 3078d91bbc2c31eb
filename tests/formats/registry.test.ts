import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/formats/index.js';
import { FORMAT_IDS, loadFormat, loadFormats } from '../../src/formats/registry.js';
import { selectFormat } from '../../src/formats/lib/select.js';

describe('the lazy format registry', () => {
  it('holds the formats of index.ts, in its order, each loading the same extractor', async () => {
    expect(FORMAT_IDS).toEqual(FORMATS.map((f) => f.id));
    expect(await loadFormats()).toEqual([...FORMATS]);
    for (const f of FORMATS) expect(await loadFormat(f.id)).toBe(f);
    expect(await loadFormat('toString')).toBeUndefined();
  });

  it('selectFormat by id loads that format; an unknown id lists them all', async () => {
    expect((await selectFormat('voc', 'x')).format.id).toBe('voc');
    await expect(selectFormat('nope', 'x')).rejects.toThrow(/use one of: auto, coco, voc/);
  });
});
