// Issue 24: data never becomes code. One table runs every export format (EXPORT_IDS) against every
// hostile string, placed in the vertical name, an input sheet's name, file and version, and an
// output label name, and reads the result with its real consumer: python3 imports the Python
// modules (importlib, as `import` does, source-encoding cookie and all) and PyYAML loads the YOLO
// YAML (as Ultralytics does), the `yaml` package parses it too, saxes parses the XML, JSON.parse
// the JSON, Python's splitlines() rule the line lists. Each payload would create the file PWNED
// in the folder the module is imported from: it must not exist, and the data must read back exactly.
// Where a format has no way to write a string (a line break in a line list, a lone surrogate in
// XML) the export is refused with export-name-invalid instead.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseBundle } from '../../src/api/bundle.js';
import { LabelmapError } from '../../src/findings.js';
import { EXPORT_IDS, type ExportId } from '../../src/export/ids.js';
import { renderExport } from '../../src/export/render.js';
import type { Bundle } from '../../src/taxonomy/types.js';
import { tempDir } from '../helpers/cli.js';
import { fixturePath, hasPyYaml, hasPython, python } from './helpers.js';

const RUN = '__import__("pathlib").Path("PWNED").touch()';
const UTF7_RUN = '+AAo-__import__(+ACI-pathlib+ACI-).Path(+ACI-PWNED+ACI-).touch()+AAo-#';

const HOSTILE: readonly [what: string, text: string][] = [
  ['newline', `x\n${RUN}\n#`],
  ['lone CR', `x\r${RUN}\r#`],
  ['triple double quote', `x"""\n${RUN}\n"""`],
  ['triple single quote', `x'''\n${RUN}\n'''`],
  ['coding cookie', `# -*- coding: utf-7 -*- ${UTF7_RUN}`],
  ['U+2028', `x\u2028download: https://evil.example/x.sh\u2028${RUN}`],
  ['U+2029', `x\u2029download: https://evil.example/x.sh\u2029${RUN}`],
  ['U+0085', `x\u0085download: https://evil.example/x.sh\u0085${RUN}`],
  ['lone surrogate', 'x\ud800y'],
  ['U+FFFE', 'x\ufffey'],
  ['</script>', '</script><script>alert(1)</script>'],
  ['formula', "=cmd|' /C calc'!A0"],
  ['YAML key', 'x\ndownload: bash -c "touch PWNED"'],
];

const PLACES = ['vertical', 'input name', 'input file', 'input version', 'native name', 'label name'] as const;
type Place = (typeof PLACES)[number];

/** The label renamed in the 'label name' place: a thing (train id 2, the first thing), so detection exports carry it too. */
const LABEL = 'pedestrian';

function hostileBundle(place: Place, text: string): Bundle {
  const file = fixturePath('self-driving');
  const json = readFileSync(file, 'utf8');
  if (place === 'label name') return parseBundle(json.replaceAll(JSON.stringify(LABEL), JSON.stringify(text)), file);
  const bundle = parseBundle(json, file);
  if (place === 'vertical') bundle.vertical = text;
  else if (place === 'input name') bundle.inputs[0]!.name = text;
  else if (place === 'input file') bundle.inputs[0]!.file = text;
  else if (place === 'native name') bundle.datasets[0]!.lut[0]!.name = text;
  else bundle.inputs[0]!.version = text;
  return bundle;
}

const LINE_BREAK = /[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The formats that may refuse a label name, and which ones: they have no escape for it. */
function refuses(format: ExportId, place: Place, text: string): boolean {
  if (place !== 'label name') return false;
  if (format === 'labelme' || format === 'labelimg') return LINE_BREAK.test(text) || LONE_SURROGATE.test(text);
  if (format === 'label-studio') return LONE_SURROGATE.test(text) || /[\ufffe\uffff]/.test(text);
  return false;
}

const PY_FILES: Partial<Record<ExportId, string>> = { python: 'labelmap_labels.py', mmseg: 'metainfo_mmseg.py', mmdet: 'metainfo_mmdet.py', detectron2: 'labelmap_detectron2.py', yolo: 'data.yaml' };

// Imports each case folder's modules the way `import` does, in that folder, and reports what they hold.
const IMPORT_ALL = `
import importlib.util, json, os, sys
import yaml
out = []
for n, folder in enumerate(json.loads(sys.argv[1])):
    os.chdir(folder)
    case = {}
    def load(file, key):
        try:
            if file.endswith(".yaml"):
                with open(file, encoding="utf-8") as f:
                    case[key] = yaml.safe_load(f)
                return
            spec = importlib.util.spec_from_file_location(f"m{n}_{key}", os.path.join(folder, file))
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            case[key] = module
        except Exception as e:
            case[key + "_error"] = repr(e)
    for key, file in [("python", "labelmap_labels.py"), ("mmseg", "metainfo_mmseg.py"), ("mmdet", "metainfo_mmdet.py"), ("detectron2", "labelmap_detectron2.py"), ("yolo", "data.yaml")]:
        load(file, key)
    res = {k: v for k, v in case.items() if k.endswith("_error")}
    if "python" in case:
        m = case["python"]
        res["python"] = {"NAME_TO_LABEL": {k: list(v) for k, v in m.NAME_TO_LABEL.items()}, "VERTICAL": m.VERTICAL, "INPUTS": [list(i) for i in m.INPUTS], "ID2LABEL": {str(k): v for k, v in m.ID2LABEL.items()}, "NUM_CLASSES": m.NUM_CLASSES, "LUT": {k: len(v) for k, v in m.LUT.items()}}
    if "mmseg" in case:
        res["mmseg"] = list(case["mmseg"].metainfo["classes"])
    if "mmdet" in case:
        res["mmdet"] = list(case["mmdet"].metainfo["classes"])
    if "detectron2" in case:
        res["detectron2"] = {"thing": case["detectron2"].METADATA["thing_classes"], "stuff": case["detectron2"].METADATA["stuff_classes"]}
    if "yolo" in case:
        res["yolo"] = {str(k): (v if k != "names" else {str(i): n for i, n in v.items()}) for k, v in case["yolo"].items()}
    res["pwned"] = os.path.exists("PWNED")
    out.append(res)
print(json.dumps(out))
`;

interface XmlLabel {
  value: string;
}

function labelStudioValues(xml: string): string[] {
  const parser = new SaxesParser();
  const values: string[] = [];
  parser.on('error', (e) => {
    throw e;
  });
  parser.on('opentag', (tag) => {
    if (tag.name === 'Label') values.push((tag.attributes as unknown as XmlLabel).value);
  });
  parser.write(xml).close();
  return values;
}

/** Python's str.splitlines(), the strictest reader of a line list. */
function pythonLines(text: string): string[] {
  const lines = text.split(/\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

const ORIGINAL = parseBundle(readFileSync(fixturePath('self-driving'), 'utf8'), fixturePath('self-driving'));
const NAMES = ORIGINAL.labels.map((l) => l.name);
const THINGS = ORIGINAL.labels.filter((l) => l.is_thing).map((l) => l.name);

/** The bundle's own check refuses control characters in output label names (bundle-schema.ts labelName). */
const CONTROL = /[\u0000-\u001f\u007f]/;

describe('hostile output label names with control characters', () => {
  it.each(HOSTILE.filter(([, text]) => CONTROL.test(text)))('%s: the bundle is refused before any export (bundle-invalid)', (_what, text) => {
    expect(() => hostileBundle('label name', text)).toThrow(expect.objectContaining({ finding: expect.objectContaining({ code: 'bundle-invalid' }) }));
  });
});

describe.each(PLACES)('hostile strings in the %s: every export reads back as data', (place) => {
  const hostile = HOSTILE.filter(([, text]) => place !== 'label name' || !CONTROL.test(text));
  const cases = hostile.map(([what, text]) => {
    const bundle = hostileBundle(place, text);
    const outputs = new Map<ExportId, string | LabelmapError>();
    for (const id of EXPORT_IDS) {
      try {
        outputs.set(id, renderExport(bundle, id));
      } catch (e) {
        if (!(e instanceof LabelmapError)) throw e;
        outputs.set(id, e);
      }
    }
    return { what, text, bundle, outputs };
  });
  const names = (text: string) => NAMES.map((n) => (place === 'label name' && n === LABEL ? text : n));
  const things = (text: string) => THINGS.map((n) => (place === 'label name' && n === LABEL ? text : n));

  it.each(hostile.map(([what], i) => [what, i] as const))('%s: each format renders it, or refuses it with export-name-invalid where it has no escape', (_what, i) => {
    const c = cases[i]!;
    for (const id of EXPORT_IDS) {
      const out = c.outputs.get(id)!;
      if (refuses(id, place, c.text)) {
        expect(out, id).toBeInstanceOf(LabelmapError);
        expect((out as LabelmapError).finding.code, id).toBe('export-name-invalid');
      } else {
        expect(out instanceof LabelmapError ? `${id}: ${out.message}` : id).toBe(id);
      }
    }
  });

  it.each(hostile.map(([what], i) => [what, i] as const))('%s: JSON, XML and line lists read back exactly', (_what, i) => {
    const c = cases[i]!;
    const text = (id: ExportId) => c.outputs.get(id) as string;
    const bundle = JSON.parse(text('json')) as Bundle;
    expect(bundle).toEqual(JSON.parse(JSON.stringify(c.bundle)));
    const hf = JSON.parse(text('hf')) as { id2label: Record<string, string> };
    expect(Object.values(hf.id2label)).toEqual(names(c.text));
    expect((JSON.parse(text('coco')) as { categories: { name: string }[] }).categories.map((x) => x.name)).toEqual(names(c.text));
    expect((JSON.parse(text('cvat')) as { name: string }[]).map((x) => x.name)).toEqual(names(c.text));
    const via = JSON.parse(text('via')) as { region: { class: { description: string; options: Record<string, string> } } };
    expect(Object.values(via.region.class.options)).toEqual(names(c.text));
    expect(via.region.class.description).toBe(`output label of the vertical ${place === 'vertical' ? c.text : 'self-driving'}`);
    if (!refuses('label-studio', place, c.text)) expect(labelStudioValues(text('label-studio'))).toEqual(names(c.text));
    if (!refuses('labelme', place, c.text)) expect(pythonLines(text('labelme'))).toEqual(['__ignore__', '_background_', ...names(c.text)]);
    if (!refuses('labelimg', place, c.text)) expect(pythonLines(text('labelimg'))).toEqual(names(c.text));
    const yaml = parseYaml(text('yolo'), { version: '1.1' }) as Record<string, unknown>;
    expect(Object.keys(yaml)).toEqual(['path', 'train', 'val', 'nc', 'names']);
    expect(Object.values(yaml.names as Record<string, string>)).toEqual(things(c.text));
  });

  it.skipIf(!hasPyYaml)('python3 imports the Python exports and PyYAML loads data.yaml: nothing runs, the data round-trips', () => {
    const root = tempDir();
    const folders = cases.map((c, i) => {
      const folder = path.join(root, String(i));
      mkdirSync(folder);
      for (const [id, file] of Object.entries(PY_FILES)) writeFileSync(path.join(folder, file), c.outputs.get(id as ExportId) as string);
      return folder;
    });
    const results = python(`import sys; sys.argv[1:] = [${JSON.stringify(JSON.stringify(folders))}]\n${IMPORT_ALL}`, {}, { site: true }) as Record<string, unknown>[];
    cases.forEach((c, i) => {
      const r = results[i]!;
      const label = c.what;
      expect(Object.keys(r).filter((k) => k.endsWith('_error')).map((k) => `${k}: ${String(r[k])}`), label).toEqual([]);
      expect(r.pwned, label).toBe(false);
      expect(existsSync(path.join(folders[i]!, 'PWNED')), label).toBe(false);
      const py = r.python as { NAME_TO_LABEL: Record<string, string[]>; VERTICAL: string; INPUTS: string[][]; ID2LABEL: Record<string, string>; NUM_CLASSES: number };
      expect(py.VERTICAL, label).toBe(c.bundle.vertical);
      expect(py.INPUTS, label).toEqual(c.bundle.inputs.map((x) => [x.kind, x.name, x.version, x.file, x.sha256]));
      expect(Object.values(py.ID2LABEL), label).toEqual(names(c.text));
      expect(py.NUM_CLASSES, label).toBe(9);
      expect(py.NAME_TO_LABEL, label).toEqual(Object.fromEntries(c.bundle.datasets.map((d) => [d.name, d.lut.map((e) => e.name)])));
      expect(r.mmseg, label).toEqual(names(c.text));
      expect(r.mmdet, label).toEqual(things(c.text));
      expect(r.detectron2, label).toEqual({ thing: things(c.text), stuff: names(c.text) });
      const yolo = r.yolo as Record<string, unknown>;
      expect(Object.keys(yolo), label).toEqual(['path', 'train', 'val', 'nc', 'names']);
      expect(Object.values(yolo.names as Record<string, string>), label).toEqual(things(c.text));
    });
  });
});

describe('reserved placeholder names', () => {
  const renamed = (name: string) => {
    const file = fixturePath('self-driving');
    return parseBundle(readFileSync(file, 'utf8').replaceAll(JSON.stringify(LABEL), JSON.stringify(name)), file);
  };
  const codeOf = (bundle: Bundle, id: ExportId) => {
    try {
      renderExport(bundle, id);
      return 'rendered';
    } catch (e) {
      return e instanceof LabelmapError ? e.finding.code : String(e);
    }
  };

  it.each(['__ignore__', '_background_'])('labelme refuses an output label named %s (its own class -1 and 0)', (name) => {
    expect(codeOf(renamed(name), 'labelme')).toBe('export-name-reserved');
    expect(codeOf(renamed(name), 'json')).toBe('rendered');
  });

  it.each(['hf', 'mmseg', 'detectron2', 'labelimg'] as const)('%s, which names train id gaps __unused_N__, refuses an output label named __unused_3__', (id) => {
    expect(codeOf(renamed('__unused_3__'), id)).toBe('export-name-reserved');
    expect(codeOf(renamed('__unused_x__'), id)).toBe('rendered');
  });
});

it.skipIf(!hasPython)('the python export can be imported by name (python3 -c "import labelmap_labels") with a hostile vertical', () => {
  const text = renderExport(hostileBundle('vertical', HOSTILE[4]![1]), 'python');
  const out = python('import labelmap_labels, os; print(__import__("json").dumps([labelmap_labels.VERTICAL, os.path.exists("PWNED")]))', { 'labelmap_labels.py': text });
  expect(out).toEqual([HOSTILE[4]![1], false]);
});
