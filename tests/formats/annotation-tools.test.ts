// Annotation tools as inputs (CVAT, Label Studio, labelme, VIA, Datumaro): their label
// definitions to sheet rows, --stats from their annotation files, extract(export(x)) == x for the
// tools labelmap also exports to, and hostile files (DOCTYPE bombs, truncation, duplicates, bad
// encoding) as one located error each.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderExport } from '../../src/export/render.js';
import { cvat } from '../../src/formats/cvat.js';
import { datumaro } from '../../src/formats/datumaro.js';
import { labelStudio } from '../../src/formats/label-studio.js';
import { labelme } from '../../src/formats/labelme.js';
import { selectFormat } from '../../src/formats/lib/select.js';
import type { Extractor } from '../../src/formats/types.js';
import { via } from '../../src/formats/via.js';
import { FIXTURES, runInProcess, tempDir } from '../helpers/cli.js';
import { fixtureBundle } from '../export/helpers.js';
import { errorOf } from './city-helpers.js';

const at = (...p: string[]) => path.join(FIXTURES, ...p);
const facts = async (format: Extractor, input: string, stats = false, firstId?: number) =>
  (await format.extract(input, { stats, firstId })).rows.map((r) => ({ id: r.id, name: r.name, color: r.color, category: r.category, display: r.display_name, extra: r.extra, instances: r.instances, images: r.images }));
const write = (name: string, text: string | Buffer) => {
  const file = path.join(tempDir(), name);
  writeFileSync(file, text);
  return file;
};
const auto = async (input: string) => (await selectFormat('auto', input)).format.id;

describe('cvat: the label constructor JSON and CVAT for images 1.1 XML', () => {
  it('JSON: ids are positions, colours lowercased, a shape type other than any as x_type', async () => {
    expect(await facts(cvat, at('cvat', 'cvat_labels.json'))).toEqual([
      { id: 0, name: 'car', color: '#fa3253', category: '', display: '', extra: { x_type: 'rectangle' }, instances: undefined, images: undefined },
      { id: 1, name: 'person', color: '#ff00cc', category: '', display: '', extra: {}, instances: undefined, images: undefined },
      { id: 2, name: 'traffic light', color: '#33ddff', category: '', display: '', extra: { x_type: 'polygon' }, instances: undefined, images: undefined },
    ]);
    expect((await facts(cvat, at('cvat', 'cvat_labels.json'), false, 1)).map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it('XML: the same labels from <meta><task>, and --stats counts the shapes of each <image>', async () => {
    const rows = await facts(cvat, at('cvat', 'annotations.xml'), true);
    expect(rows.map((r) => [r.id, r.name, r.color, r.instances, r.images])).toEqual([
      [0, 'car', '#fa3253', 3, 2],
      [1, 'person', '#ff00cc', 1, 1],
      [2, 'traffic light', '#33ddff', 1, 1],
    ]);
    const { notes } = await cvat.extract(at('cvat', 'annotations.xml'), { stats: true });
    expect(notes).toContain('6 shapes over 3 images');
    expect(notes.some((n) => n.includes('"bicycle"') && n.includes('not in the label list'))).toBe(true);
    // A project export keeps its labels under <meta><project>.
    expect((await facts(cvat, at('cvat', 'project.xml'))).map((r) => [r.name, r.color, r.extra.x_type])).toEqual([['road', '#804080', 'mask'], ['sidewalk', '#f423e8', 'mask']]);
  });

  it('extract auto picks cvat for both, with reasons', async () => {
    expect(await auto(at('cvat', 'cvat_labels.json'))).toBe('cvat');
    expect(await auto(at('cvat', 'annotations.xml'))).toBe('cvat');
    expect((await cvat.detect(at('label-studio', 'labeling_config.xml'))).reason).toBe('an .xml file without an <annotations> root near its start');
    expect((await cvat.detect(at('via', 'via_attributes.json'))).ok).toBe(false);
  });

  it('hostile: a DOCTYPE (billion laughs), truncation, a duplicate name, a wrong shape, bad UTF-8', async () => {
    const bomb = write('annotations.xml', '<?xml version="1.0"?>\n<!DOCTYPE annotations [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>\n<annotations><version>1.1</version><meta><task><labels><label><name>&b;</name></label></labels></task></meta></annotations>\n');
    const e1 = await errorOf(() => cvat.extract(bomb, { stats: false }));
    expect([e1.code, e1.line]).toEqual(['config-syntax', 2]);
    expect(e1.text).toContain('a <!DOCTYPE> (labelmap reads no DTD and expands no entities)');
    const cut = write('annotations.xml', '<annotations><version>1.1</version><meta><task><labels><label><name>car</na');
    expect((await errorOf(() => cvat.extract(cut, { stats: false }))).code).toBe('config-syntax');
    const dup = write('labels.json', '[{"name": "car", "attributes": []},\n {"name": "car", "attributes": []}]');
    const e2 = await errorOf(() => cvat.extract(dup, { stats: false }));
    expect([e2.code, e2.path]).toEqual(['labels-duplicate', '[1]']);
    const shape = write('labels.json', '[{"name": 7, "attributes": []}]');
    const e3 = await errorOf(() => cvat.extract(shape, { stats: false }));
    expect([e3.code, e3.path]).toEqual(['label-json-shape', '[0].name']);
    const latin1 = write('labels.json', Buffer.from('[{"name": "caf\xe9", "attributes": []}]', 'latin1'));
    expect((await errorOf(() => cvat.extract(latin1, { stats: false }))).code).toBe('label-json-invalid');
    const noMeta = write('annotations.xml', '<annotations><version>1.1</version></annotations>');
    expect((await errorOf(() => cvat.extract(noMeta, { stats: false }))).text).toContain('a <meta> element with the labels');
  });

  it('extract(export(x)) == x: names and colours in train-id order', async () => {
    for (const name of ['tricky-names', 'self-driving']) {
      const bundle = fixtureBundle(name);
      const file = write('cvat_labels.json', renderExport(bundle, 'cvat', { shape: 'polygon' }));
      const rows = await facts(cvat, file);
      expect(rows.map((r) => [r.name, r.color, r.extra.x_type])).toEqual(bundle.labels.map((l) => [l.name, l.color.toLowerCase(), 'polygon']));
      expect(await auto(file)).toBe('cvat');
    }
  });
});

describe('label-studio: the labeling config XML', () => {
  it('every control tag: Labels with colours, Choices, a Taxonomy as category/x_parent; shared labels once', async () => {
    const rows = await facts(labelStudio, at('label-studio', 'labeling_config.xml'));
    expect(rows.map((r) => [r.id, r.name, r.color, r.category, r.extra])).toEqual([
      [0, 'car', '#fa3253', '', { x_control: 'box' }],
      [1, 'person', '#ff00cc', '', { x_control: 'box' }],
      [2, 'road & lane', '#804080', '', { x_control: 'poly' }],
      [3, 'rain', '', '', { x_control: 'weather' }],
      [4, 'clear', '', '', { x_control: 'weather' }],
      [5, 'vehicle', '', 'vehicle', { x_control: 'kind' }],
      [6, 'bus', '', 'vehicle', { x_control: 'kind', x_parent: 'vehicle' }],
      [7, 'truck', '', 'vehicle', { x_control: 'kind', x_parent: 'vehicle' }],
      [8, 'pickup', '', 'vehicle', { x_control: 'kind', x_parent: 'truck' }],
      [9, 'animal', '', 'animal', { x_control: 'kind' }],
    ]);
    const { notes } = await labelStudio.extract(at('label-studio', 'labeling_config.xml'), { stats: false });
    expect(notes).toContain('2 labels listed by more than one control tag counted once');
    expect(await auto(at('label-studio', 'labeling_config.xml'))).toBe('label-studio');
  });

  it('extract(export(x)) == x for each shape, and one control tag needs no x_control', async () => {
    const bundle = fixtureBundle('tricky-names');
    for (const shape of ['polygon', 'rectangle', 'mask'] as const) {
      const file = write('label_studio_config.xml', renderExport(bundle, 'label-studio', { shape }));
      const rows = await facts(labelStudio, file);
      expect(rows.map((r) => [r.name, r.color, r.extra])).toEqual(bundle.labels.map((l) => [l.name, l.color.toLowerCase(), {}]));
      expect(await auto(file)).toBe('label-studio');
    }
  });

  it('hostile: an entity bomb, an undefined entity, the same name twice in one tag, no <View>, no labels', async () => {
    const bomb = write('c.xml', '<!DOCTYPE View [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n<View><Labels name="l" toName="i"><Label value="&lol2;"/></Labels></View>');
    const e1 = await errorOf(() => labelStudio.extract(bomb, { stats: false }));
    expect([e1.code, e1.line]).toEqual(['config-syntax', 1]);
    const entity = write('c.xml', '<View>\n<Labels name="l" toName="i"><Label value="&ext;"/></Labels></View>');
    const e2 = await errorOf(() => labelStudio.extract(entity, { stats: false }));
    expect([e2.code, e2.line]).toEqual(['config-syntax', 2]);
    const twice = write('c.xml', '<View>\n<Labels name="l" toName="i">\n<Label value="car"/>\n<Label value="car"/>\n</Labels></View>');
    const e3 = await errorOf(() => labelStudio.extract(twice, { stats: false }));
    expect([e3.code, e3.line]).toEqual(['labels-duplicate', 4]);
    const taxonomy = write('c.xml', '<View><Taxonomy name="t" toName="i">\n<Choice value="a"><Choice value="other"/></Choice>\n<Choice value="b"><Choice value="other"/></Choice>\n</Taxonomy></View>');
    expect((await errorOf(() => labelStudio.extract(taxonomy, { stats: false }))).code).toBe('labels-duplicate');
    const other = write('c.xml', '<annotation><object><name>car</name></object></annotation>');
    expect((await errorOf(() => labelStudio.extract(other, { stats: false }))).text).toContain('a <View> root');
    expect((await labelStudio.detect(other)).ok).toBe(false);
    const empty = write('c.xml', '<View><Image name="i" value="$image"/></View>');
    expect((await errorOf(() => labelStudio.extract(empty, { stats: false }))).code).toBe('label-json-shape');
  });
});

describe('labelme: labels.txt and folders of labelme JSON', () => {
  it('labels.txt: ids as labelme2voc gives them (__ignore__ left out, _background_ 0)', async () => {
    const rows = await facts(labelme, at('labelme', 'listed', 'labels.txt'));
    expect(rows.map((r) => [r.id, r.name])).toEqual([[0, '_background_'], [1, 'person'], [2, 'bicycle'], [3, 'car']]);
    expect(await auto(at('labelme', 'listed', 'labels.txt'))).toBe('labelme');
  });

  it('a folder: the shape labels sorted (subfolders too), --stats counts shapes and files', async () => {
    const rows = await facts(labelme, at('labelme', 'project'), true);
    expect(rows.map((r) => [r.id, r.name, r.instances, r.images])).toEqual([[0, 'bicycle', 1, 1], [1, 'car', 1, 1], [2, 'person', 3, 2]]);
    expect(await auto(at('labelme', 'project'))).toBe('labelme');
    // A folder with a labels.txt takes its classes and ids from there.
    const listed = await facts(labelme, at('labelme', 'listed'), true);
    expect(listed.map((r) => [r.id, r.name, r.instances])).toEqual([[0, '_background_', 0], [1, 'person', 2], [2, 'bicycle', 0], [3, 'car', 1]]);
  });

  it('extract(export(x)) == x: the labels follow _background_ in order', async () => {
    const bundle = fixtureBundle('tricky-names');
    const file = write('labels.txt', renderExport(bundle, 'labelme'));
    const rows = await facts(labelme, file);
    expect(rows.map((r) => r.name)).toEqual(['_background_', ...bundle.labels.map((l) => l.name)]);
    expect(await auto(file)).toBe('labelme');
  });

  it('hostile: a shape with no label, a file that is not labelme, a duplicate in labels.txt', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.json'), '{"shapes": [{"label": "car"}], "imagePath": "a.jpg"}');
    writeFileSync(path.join(dir, 'b.json'), '{"shapes": [{"points": []}], "imagePath": "b.jpg"}');
    const e1 = await errorOf(() => labelme.extract(dir, { stats: false }));
    expect([e1.code, e1.file, e1.path]).toEqual(['label-json-shape', path.join(dir, 'b.json'), 'shapes[0].label']);
    const truncated = tempDir();
    mkdirSync(path.join(truncated, 'x'));
    writeFileSync(path.join(truncated, 'x', 'a.json'), '{"shapes": [{"label": "car"');
    expect((await errorOf(() => labelme.extract(truncated, { stats: false }))).code).toBe('label-json-invalid');
    const dup = write('labels.txt', '__ignore__\n_background_\ncar\ncar\n');
    const e2 = await errorOf(() => labelme.extract(dup, { stats: false }));
    expect([e2.code, e2.line]).toEqual(['labels-duplicate', 4]);
  });
});

describe('via: VGG Image Annotator attributes and projects', () => {
  it('the "class" dropdown of an attributes file; descriptions that differ are display names', async () => {
    const rows = await facts(via, at('via', 'via_attributes.json'));
    expect(rows.map((r) => [r.id, r.name, r.display])).toEqual([[0, 'car', 'Car'], [1, 'person', ''], [2, 'traffic_light', 'Traffic light']]);
    const { notes } = await via.extract(at('via', 'via_attributes.json'), { stats: false });
    expect(notes).toContain('other region attributes with options are not classes here: occluded');
    expect(await auto(at('via', 'via_attributes.json'))).toBe('via');
  });

  it('a VIA 2 project: the "label" radio, --stats counts its regions', async () => {
    const rows = await facts(via, at('via', 'via_project.json'), true);
    expect(rows.map((r) => [r.id, r.name, r.display, r.instances, r.images])).toEqual([[0, 'car', '', 2, 1], [1, 'bike', 'bicycle', 1, 1], [2, 'bus', '', 0, 0]]);
    expect(await auto(at('via', 'via_project.json'))).toBe('via');
  });

  it('extract(export(x)) == x, integer-like names kept in order', async () => {
    for (const name of ['tricky-names', 'self-driving']) {
      const bundle = fixtureBundle(name);
      const file = write('via_attributes.json', renderExport(bundle, 'via'));
      const rows = await facts(via, file);
      expect(rows.map((r) => [r.name, r.display])).toEqual(bundle.labels.map((l) => [l.name, '']));
    }
  });

  it('hostile: two candidate attributes, an option that is not text, a non-object', async () => {
    const two = write('v.json', '{"region": {"kind": {"type": "dropdown", "options": {"a": ""}}, "colour": {"type": "radio", "options": {"red": ""}}}, "file": {}}');
    const e1 = await errorOf(() => via.extract(two, { stats: false }));
    expect([e1.code, e1.path]).toEqual(['label-json-shape', 'region']);
    expect(e1.text).toContain('several: kind, colour');
    const bad = write('v.json', '{"region": {"class": {"type": "dropdown", "options": {"a": 1}}}, "file": {}}');
    expect((await errorOf(() => via.extract(bad, { stats: false }))).path).toBe('region.class.options.a');
    expect((await errorOf(() => via.extract(write('v.json', '[1]'), { stats: false }))).code).toBe('label-json-shape');
  });
});

describe('datumaro: dataset_meta.json', () => {
  it('ids from label_map, colours from segmentation_colors, the background said', async () => {
    const rows = await facts(datumaro, at('datumaro', 'dataset_meta.json'));
    expect(rows.map((r) => [r.id, r.name, r.color])).toEqual([[0, 'background', '#000000'], [1, 'car', '#ff0000'], [2, 'person', '#0000ff'], [10, 'road', '#804080']]);
    expect((await datumaro.extract(at('datumaro', 'dataset_meta.json'), { stats: false })).notes).toContain('the background label is "background" (kept: masks hold it)');
    expect(await auto(at('datumaro', 'dataset_meta.json'))).toBe('datumaro');
  });

  it('hostile: a non-integer key, a duplicate name, a bad colour, an empty map', async () => {
    const e1 = await errorOf(() => datumaro.extract(write('m.json', '{"label_map": {"x": "car"}}'), { stats: false }));
    expect([e1.code, e1.path]).toEqual(['label-json-shape', 'label_map.x']);
    const e2 = await errorOf(() => datumaro.extract(write('m.json', '{"label_map": {"0": "car", "1": "car"}}'), { stats: false }));
    expect([e2.code, e2.path]).toEqual(['labels-duplicate', 'label_map.1']);
    const e3 = await errorOf(() => datumaro.extract(write('m.json', '{"label_map": {"0": "car"}, "segmentation_colors": [[0, 0, 300]]}'), { stats: false }));
    expect(e3.path).toBe('segmentation_colors[0]');
    expect((await errorOf(() => datumaro.extract(write('m.json', '{"label_map": {}}'), { stats: false }))).code).toBe('class-list-empty');
  });
});

describe('the CLI', () => {
  it('extract auto writes a sheet from a Label Studio config, with the format it chose', async () => {
    const work = tempDir({ 'sheets/datasets/.keep': '' });
    const r = await runInProcess(['extract', 'auto', at('label-studio', 'labeling_config.xml')], { cwd: work });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr + r.stdout).toContain('label-studio');
    const sheet = readFileSync(path.join(work, 'sheets', 'datasets', 'label-studio@1.0.0.csv'), 'utf8');
    expect(sheet).toContain('pickup');
    expect(sheet).toContain('x_parent');
  });
});
