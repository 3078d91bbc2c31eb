// The command table: what `labelmap --help` lists. Each entry names its flags and examples and
// imports its implementation only when it runs.
import { EXPORT_IDS, SHAPES } from '../export/ids.js';
import type { Context, GlobalOptions } from './context.js';

export interface CommandModule {
  /** Runs the command; returns the exit code (0 ok, 1 findings). Throws LabelmapError for exit 2. */
  run(args: (string | string[] | undefined)[], opts: GlobalOptions & Record<string, unknown>, ctx: Context): Promise<number>;
}

export interface OptionSpec {
  flags: string;
  description: string;
  choices?: string[];
  default?: string | boolean;
}

export interface CommandSpec {
  /** `name <arg> [arg]` as commander reads it. */
  usage: string;
  summary: string;
  options?: OptionSpec[];
  examples: string[];
  load(): Promise<CommandModule>;
}

export const COMMANDS: CommandSpec[] = [
  {
    usage: 'list',
    summary: 'list every sheet: kind, name, versions, latest, rows',
    examples: ['labelmap list', 'labelmap list --json', 'labelmap --sheets ./my-sheets list'],
    load: () => import('./commands/list.js'),
  },
  {
    usage: 'show <ref>',
    summary: 'print the rows of one sheet (name, name@1.2.0, kind/name) as a table (fitted to the terminal; --wide for whole cells)',
    options: [{ flags: '--wide', description: 'print every cell whole, however wide the table gets' }],
    examples: ['labelmap show coco', 'labelmap show datasets/cityscapes@1.0.0', 'labelmap show verticals/self-driving --json'],
    load: () => import('./commands/show.js'),
  },
  {
    usage: 'find <text...>',
    summary: 'every taxonomy class, dataset class, mapping row and vertical output that matches, grouped by taxonomy class, with where each dataset class lands in every vertical',
    options: [{ flags: '--vertical <name>', description: 'show where the classes land in this vertical only' }],
    examples: ['labelmap find bicycle', 'labelmap find traffic lights --vertical self-driving', 'labelmap --json find person'],
    load: () => import('./commands/find.js'),
  },
  {
    usage: 'report',
    summary: 'write one self-contained HTML page: the taxonomy tree, each vertical\'s coverage matrix, every dataset\'s lookup table, and a search box',
    options: [
      { flags: '--vertical <ref>', description: 'only this vertical (default: every vertical)' },
      { flags: '--out <file>', description: 'the HTML file (default report.html; its folder must exist); replaces only an earlier report' },
      { flags: '--diff <refs...>', description: 'add the changes between two versions or git revisions (one: against the work tree), as `labelmap diff` computes them' },
    ],
    examples: ['labelmap report', 'labelmap report --vertical self-driving --out build/self-driving.html'],
    load: () => import('./commands/report.js'),
  },
  {
    usage: 'suggest <dataset>',
    summary: 'a draft mapping sheet for a dataset sheet: a ranked taxonomy target per class, with confidence, evidence and alternatives, from the taxonomy and every existing mapping',
    options: [
      { flags: '--taxonomy <ref>', description: 'the taxonomy to map to (default: the only one, latest version)' },
      { flags: '--out <file>', description: 'write the draft to this file (never over an existing one; its folder must exist)' },
      { flags: '--write', description: 'write the draft as mappings/<dataset>@1.0.0.csv in the sheets folder (only when it has no mapping yet)' },
      { flags: '--threshold <0..1>', description: `rows below it are marked for review (default ${0.7})` },
      { flags: '--explain <class>', description: 'print every candidate for one class with its evidence' },
    ],
    examples: ['labelmap suggest coco --explain couch', 'labelmap suggest cityscapes --threshold 0.8 --out cityscapes-draft.csv', 'labelmap --json suggest voc'],
    load: () => import('./commands/suggest.js'),
  },
  {
    usage: 'extract <format> <input>',
    summary: 'read a dataset\'s label metadata into a versioned dataset sheet (format: auto or a format id)',
    options: [
      { flags: '--name <sheet-name>', description: 'sheet name (default: the format\'s usual name, e.g. coco)' },
      { flags: '--stats', description: 'add instances and images counts per class' },
      { flags: '--stdout', description: 'print the sheet as CSV and write nothing' },
      { flags: '--classes <file>', description: 'class order, one name per line (VOC / labelImg predefined_classes.txt)' },
      { flags: '--labels <file-or-ref>', description: 'where ids come from for annotation folders (labels.py, config.json or a dataset sheet)' },
      { flags: '--first-id <n>', description: 'id of the first class where ids are line positions (names, yolo)', choices: ['0', '1'] },
      { flags: '--same-dataset', description: 'the input is a new release of the dataset already under this name: allow a version that removes or renames many classes' },
      { flags: '--drop-stats', description: 'without --stats: drop the counts of the previous version instead of keeping them' },
      { flags: '--jobs <n>', description: 'threads reading a VOC folder or a COCO file (default: 2 from 50,000 files or 64 MiB when a second core is free)', choices: ['1', '2'] },
    ],
    examples: [
      'labelmap extract coco annotations/instances_val2017.json --stats',
      'labelmap extract auto panoptic_coco_categories.json --name coco-panoptic --stdout',
      'labelmap extract voc VOCdevkit/VOC2012 --stats',
    ],
    load: () => import('./commands/extract.js'),
  },
  {
    usage: 'formats',
    summary: 'list every format `extract` reads (the word to type, and what it reads)',
    examples: ['labelmap formats', 'labelmap formats --json'],
    load: () => import('./commands/formats.js'),
  },

  {
    usage: 'merge',
    summary: 'compose dataset sheets -> mappings -> taxonomy -> vertical into lookup tables, coverage and labelmap.json',
    options: [
      { flags: '--vertical <ref>', description: 'the output label set (name or name@version); without it: the unified taxonomy' },
      { flags: '--datasets <refs>', description: 'comma-separated datasets (coco, coco@1.0.0; mappings/coco@1.1.0 pins a mapping); default: every dataset with a mapping' },
      { flags: '--taxonomy <ref>', description: 'the taxonomy (name or name@version); default: the only one, latest version' },
      { flags: '--out <dir>', description: 'output folder (default build/<vertical>/ or build/unified/)' },
      { flags: '--coarse <mode>', description: 'a source class coarser than the vertical becomes a label set (default) or ignore (evaluation bundles)', choices: ['set', 'ignore'] },
      { flags: '--all-warnings', description: 'print every warning (default: only their count)' },
    ],
    examples: [
      'labelmap merge --vertical self-driving',
      'labelmap merge --vertical self-driving@1.0.0 --datasets cityscapes,coco@1.0.0 --out build/sd',
      'labelmap merge --json > labelmap.json',
    ],
    load: () => import('./commands/merge.js'),
  },
  {
    usage: 'apply <input>',
    summary: "remap label masks, colour-coded masks and COCO instances/panoptic JSON (a file or a folder) to a label set's train ids: palette PNGs, rewritten COCO files, resumable, sharded, with a manifest",
    options: [
      { flags: '--dataset <ref>', description: 'the dataset the files belong to (cityscapes, voc@1.0.0)' },
      { flags: '--vertical <ref>', description: 'the vertical to compile from the sheets (name or name@version)' },
      { flags: '--unified', description: 'the unified taxonomy (16-bit output when it has more than 255 labels)' },
      { flags: '--bundle <file>', description: 'instead: the labelmap.json (or the folder) that `labelmap merge` wrote' },
      { flags: '--taxonomy <ref>', description: 'the taxonomy (name or name@version); default: the only one, latest version' },
      { flags: '--out <dir>', description: 'output folder: the input tree mirrored, plus apply.json' },
      { flags: '--jobs <n>', description: 'worker threads (default: the cores)' },
      { flags: '--shard <k/n>', description: 'process slice k of n (k = 0..n-1) of the stable file order' },
      { flags: '--match <glob>', description: "only files whose name matches, e.g. '*_labelIds.png'" },
      { flags: '--force', description: 'rewrite outputs that are already complete' },
      { flags: '--stats', description: 'count pixels per label and write nothing' },
      { flags: '--fail-fast', description: 'stop at the first file that fails' },
      { flags: '--keep-ignored', description: 'COCO: keep annotations of ignored classes (category_id 0, "ignore": 1) instead of dropping them' },
      { flags: '--encoding <name>', description: "mask PNGs hold this encoding of the dataset's classes, not native ids: train_id (Cityscapes *_labelTrainIds.png), mask_value (COCO-Stuff stuffthingmaps)" },
      { flags: '--coarse <mode>', description: 'as in merge: a source class coarser than the vertical becomes a label set (default) or ignore', choices: ['set', 'ignore'] },
    ],
    examples: [
      'labelmap apply annotations/instances_val2017.json --dataset coco --vertical self-driving --out build/coco-sd',
      "labelmap apply gtFine/val --dataset cityscapes --vertical self-driving --match '*_labelIds.png' --out build/sd-masks",
      'labelmap apply VOC2012/SegmentationClass --dataset voc --bundle build/indoor --out build/voc-indoor --jobs 2',
      "labelmap apply masks/ --dataset cityscapes --vertical self-driving --match '*_labelIds.png' --out out/ --shard 0/4",
      "labelmap apply masks/ --dataset cityscapes --vertical self-driving --match '*_labelIds.png' --stats --json",
      "labelmap apply trainIds/ --dataset cityscapes --vertical self-driving --match '*_labelTrainIds.png' --encoding train_id --out build/sd-from-trainids",
    ],
    load: () => import('./commands/apply.js'),
  },
  {
    usage: 'diff <a> [b]',
    summary:
      'every change between two sheets, sheet folders, name@version references or git revisions, with its level (major/minor/patch), the bump it demands and whether the versions cover it; one argument compares with the work tree',
    options: [
      { flags: '--fail-on <level>', description: 'exit 1 when a change of this level or higher is present', choices: ['major', 'minor', 'patch'] },
    ],
    examples: [
      'labelmap diff coco@1.0.0 coco@1.1.0',
      'labelmap diff mappings/cityscapes',
      'labelmap diff v1 v2 --json',
      'labelmap diff main --fail-on major',
      'labelmap diff old-sheets/ sheets/',
    ],
    load: () => import('./commands/diff.js'),
  },
  {
    usage: 'bump <ref> [level]',
    summary: 'start the next version of a sheet (level major, minor or patch; default patch) as a copy of the latest, to edit',
    examples: ['labelmap bump mappings/coco minor', 'labelmap bump verticals/self-driving major', 'labelmap bump taxonomy/unified'],
    load: () => import('./commands/bump.js'),
  },
  {
    usage: 'release',
    summary: `check that no released sheet changed and every new version's bump covers its diff, then record every sheet file with its sha256 in <sheets>/labelmap.lock.json`,
    options: [{ flags: '--dry-run', description: 'check and report, do not write the lock file' }],
    examples: ['labelmap release', 'labelmap release --dry-run', 'labelmap release --json'],
    load: () => import('./commands/release.js'),
  },
  {
    usage: 'export',
    summary: 'write a compiled label set for training code or an annotation tool (Python, HF, YOLO, COCO, CVAT, ...)',
    options: [
      { flags: '--format <format>', description: 'output format', choices: [...EXPORT_IDS] },
      { flags: '--vertical <ref>', description: 'the vertical to compile from the sheets (name or name@version)' },
      { flags: '--unified', description: 'the unified taxonomy (every taxonomy class an output label)' },
      { flags: '--bundle <file>', description: 'instead: the labelmap.json (or the folder) that `labelmap merge` wrote' },
      { flags: '--datasets <refs>', description: 'as in merge: comma-separated datasets to compile (coco, coco@1.0.0, mappings/coco@1.1.0); default: every dataset with a mapping' },
      { flags: '--out <file>', description: 'write to a file (atomically) instead of stdout; its folder must exist. With --json: a summary of what was written on stdout' },
      { flags: '--shape <shape>', description: 'annotation shape for cvat (default any) and label-studio (default polygon)', choices: [...SHAPES] },
    ],
    examples: [
      'labelmap export --vertical self-driving --format python --out labels_self_driving.py',
      'labelmap export --vertical indoor --format cvat > cvat-labels.json',
      'labelmap export --bundle out/self-driving --format hf > id2label.json',
      'labelmap export --bundle out/self-driving/labelmap.json --format label-studio --shape rectangle',
      'labelmap --json export --vertical self-driving --datasets cityscapes,coco --format python --out labels_sd.py',
    ],
    load: () => import('./commands/export.js'),
  },
  {
    usage: 'attributes <input>',
    summary: 'per-image attributes (weather, time of day, scene, derived roadworks / near / far traffic) in the unified vocabulary: a table, and counts per value on stderr',
    options: [
      { flags: '--dataset <name>', description: 'the attribute mapping of the input (attribute-mappings/<name>): bdd100k, generic; for COCO and polygon folders the class mapping (mappings/<name>): coco, cityscapes, mapillary-vistas-v2.0' },
      { flags: '--format <format>', description: 'the table: csv or jsonl', choices: ['csv', 'jsonl'], default: 'csv' },
      { flags: '--out <file>', description: 'write the table to this new file (never over an existing one)' },
      { flags: '--input-format <format>', description: 'bdd100k (label JSON), generic (image,key,value CSV), coco (instances JSON), cityscapes or mapillary (polygon folder); default by the input', choices: ['bdd100k', 'generic', 'coco', 'cityscapes', 'mapillary'] },
      { flags: '--image-height <px>', description: 'image height for box-height-share rules (BDD100K: default 720; COCO and polygons: for images whose file gives none)' },
    ],
    examples: [
      'labelmap attributes bdd100k/labels.json --dataset bdd100k --out attributes.csv',
      'labelmap attributes image-attributes.csv --dataset generic --format jsonl',
      'labelmap attributes annotations/instances_val2017.json --dataset coco',
      'labelmap attributes gtFine/val --dataset cityscapes --out val-attributes.csv',
      'labelmap --json attributes bdd100k/labels.json --dataset bdd100k',
    ],
    load: () => import('./commands/attributes.js'),
  },
  {
    usage: 'validate [dir]',
    summary: 'check every sheet with every rule and print every finding (exit 0 clean, 1 findings, 2 could not run)',
    options: [
      { flags: '--format <format>', description: 'text, json (a stable list) or github (Actions annotations)', choices: ['text', 'json', 'github'], default: 'text' },
      { flags: '--strict', description: 'exit 1 on warnings too' },
    ],
    examples: [
      'labelmap validate',
      'labelmap validate ./sheets --strict',
      'labelmap validate --format github',
      'labelmap validate sheets --format json > findings.json',
    ],
    load: () => import('./commands/validate.js'),
  },
  {
    usage: 'schema [kind]',
    summary: 'print the JSON Schema of a sheet row (dataset, taxonomy, mapping, vertical), or of all four',
    examples: ['labelmap schema', 'labelmap schema taxonomy', 'labelmap schema vertical > vertical-row.schema.json'],
    load: () => import('./commands/schema.js'),
  },
  {
    usage: 'init [dir]',
    summary: "start a team's sheets repository: sheets/ with the shipped sheets to edit, a lock file, package.json pinning labelmap, a CI workflow and a pre-commit hook that run it, .gitignore",
    options: [
      { flags: '--empty', description: 'create the four sheet folders empty instead of copying the shipped sheets' },
      { flags: '--labelmap <spec>', description: 'the npm spec package.json pins labelmap at: a version, a git URL with a commit, or a tarball path (default: this labelmap\'s version, or the path of this checkout)' },
    ],
    examples: ['labelmap init', 'labelmap init my-labels', 'labelmap init my-labels --empty', 'labelmap init my-labels --labelmap git+https://github.com/acme/labelmap.git#4f1c2e9'],
    load: () => import('./commands/init.js'),
  },
];
