// Findings are data: a code, a severity, a place and the arguments of the message.
// All wording lives in MESSAGES below; everything else passes findings around.
import { andList, cutLong, listSome, printableKeepingNewlines, shellWord, shownText } from './text/index.js';

export type Severity = 'error' | 'warning';

export interface Place {
  file?: string;
  line?: number;
  column?: number;
  /** Byte offset in the file, for large inputs where a line number is not cheap. */
  offset?: number;
  /** JSON path or CSV column name, when that says more than a column number. */
  path?: string;
}

/** A message argument; a list stays a list until the wording joins it. */
export type Arg = string | number | boolean | undefined | readonly string[];
export type Args = Record<string, Arg>;

export interface Finding extends Place {
  code: Code;
  severity: Severity;
  args: Args;
}

interface Wording {
  /** What is wrong, with what was expected and what was found. */
  message: (a: Args) => string;
  /** How to fix it. */
  fix?: (a: Args) => string;
}

const s = (v: unknown): string => (v === undefined ? '' : Array.isArray(v) ? v.join(', ') : String(v));
const q = (v: unknown): string => JSON.stringify(s(v));
const list = (v: Arg): readonly string[] => (v === undefined ? [] : Array.isArray(v) ? v : [String(v)]);
/** A path inside a folder as a shell command names it from the working folder (`.` left out). */
const inFolder = (dir: Arg, rel: Arg): string => (s(dir) && s(dir) !== '.' ? `${s(dir)}/${s(rel)}` : s(rel));
const csvText = (v: unknown): string => (/[",\n\r]/.test(s(v)) ? `"${s(v).replace(/"/g, '""')}"` : s(v));
const mib = (v: unknown): string => `${(Number(v) / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB (${s(v)} bytes)`;

/**
 * One table of every finding code and its wording. Codes are stable: tests, `--format json` and
 * CI scripts rely on them. Add a code here, never a string message at the call site.
 */
export const MESSAGES = {
  // --- files: not found, unreadable --------------------------------------------------------
  'file-not-found': {
    message: (a) => `${s(a.what) || 'file'} not found`,
    fix: (a) => s(a.fix) || 'check the path',
  },
  'file-unreadable': {
    message: (a) => `cannot read ${s(a.what) || 'file'}: ${s(a.reason)}`,
  },

  // --- command line: flags and arguments (exit 2) --------------------------------------------
  'format-unknown': {
    message: (a) => `unknown format ${q(a.format)}`,
    fix: (a) => `use one of: auto, ${s(a.known)}`,
  },
  'report-format-unknown': {
    message: (a) => `unknown format ${q(a.format)}`,
    fix: (a) => `use one of ${s(a.known)}`,
  },
  'sheet-kind-unknown': {
    message: (a) => `unknown sheet kind ${q(a.kind)}`,
    fix: (a) => `use one of ${s(a.known)}`,
  },
  'fail-on-invalid': {
    message: (a) => `--fail-on takes major, minor or patch, not ${q(a.found)}`,
    fix: () => 'e.g. --fail-on major',
  },
  'bump-level-auto': {
    message: () => 'the bump level cannot be known before the edit',
    fix: (a) => `pass major, minor or patch, e.g. \`labelmap bump ${s(a.ref) || 'coco'} minor\`; \`labelmap release --dry-run\` then checks the level against the change you made`,
  },
  'bump-level-invalid': {
    message: (a) => `the bump level is major, minor or patch, not ${q(a.found)}`,
    fix: (a) => `e.g. \`labelmap bump ${s(a.ref) || 'coco'} minor\``,
  },
  'export-format-missing': {
    message: () => 'missing --format',
    fix: () => 'pass --format <format>; `labelmap export --help` lists them',
  },
  'export-source': {
    message: (a) => (Number(a.given) === 0 ? 'no label set given' : 'give one label set: --vertical, --unified or --bundle'),
    fix: () => 'pass --vertical <name> (compiled from the sheets), --unified (every taxonomy class), or --bundle <labelmap.json> (written by `labelmap merge`)',
  },
  'export-shape': {
    message: (a) => (list(a.shapes).length ? `--format ${s(a.format)} takes --shape ${s(a.shapes)}, not ${s(a.shape)}` : `--shape does not apply to --format ${s(a.format)}`),
    fix: (a) => `--shape applies to ${andList(list(a.takers))}`,
  },
  'sheet-ref-invalid': {
    message: (a) => `${q(a.ref)} is not a sheet reference`,
    fix: () => 'write name, name@1.2.0, name@latest or kind/name (e.g. datasets/coco@1.0.0)',
  },
  'sheet-ref-kind': {
    message: (a) => `${q(a.ref)} is a ${s(a.kind)} sheet (${s(a.file)}), not a ${s(a.expected)} sheet`,
    fix: (a) => (a.command ? `name a ${s(a.expected)} sheet, e.g. \`labelmap ${s(a.command)} ${s(a.example)}\`` : s(a.fix)),
  },
  'datasets-list-invalid': {
    message: (a) => (a.item === undefined ? '--datasets is empty' : `${q(a.item)} in --datasets is not a sheet reference`),
    fix: (a) => (a.item === undefined ? 'name datasets separated by commas, e.g. --datasets coco,cityscapes@1.0.0' : 'write name, name@1.2.0 or mappings/name@1.2.0'),
  },
  'output-not-folder': {
    message: () => 'the output path is not a folder: expected a folder (or a path that does not exist yet), found a file',
    fix: () => 'pass another --out',
  },
  'output-unwritable': {
    message: (a) => `cannot write the output folder, found ${s(a.found)}`,
    fix: () => 'pass a writable folder with --out',
  },
  'output-parent-missing': {
    message: (a) => `the folder ${q(a.folder)} for the --out file does not exist: a file is written into a folder you have, not into a new tree of folders (a typo in the path would make one)`,
    fix: (a) => `create it first: \`mkdir -p ${s(a.folder)}\`, or pass --out in a folder that exists`,
  },
  'export-json-needs-out': {
    message: () => '--json prints a summary of the file export wrote, and without --out export writes no file',
    fix: () => 'pass --out <file> (the export goes there, the summary to stdout), or leave --json out to print the export itself',
  },
  'export-datasets-bundle': {
    message: () => '--datasets chooses the datasets to compile from the sheets, and the --bundle given is compiled already',
    fix: () => 'pass --vertical <name> (or --unified) with --datasets, or write a bundle of those datasets with merge --datasets',
  },
  'output-symlink': {
    message: (a) =>
      a.what === 'file'
        ? 'the output file is a symbolic link: labelmap neither writes through a link (it could point anywhere, the sheets folder included) nor replaces it'
        : 'this folder inside the output folder is a symbolic link: labelmap writes no output through a link (it could point anywhere, the sheets folder included)',
    fix: (a) => (a.what === 'file' ? 'pass the path the link points to, or another --out' : 'replace the link with a real folder, or pass a new folder with --out'),
  },
  'suggest-threshold-invalid': {
    message: (a) => `--threshold takes a number from 0 to 1, not ${q(a.found)}`,
    fix: () => 'e.g. --threshold 0.8',
  },
  'suggest-out-and-write': {
    message: () => '--out and --write name two places for one draft',
    fix: () => 'pass one of them',
  },
  'suggest-no-taxonomy': {
    message: () => 'no taxonomy to suggest targets from',
    fix: () => 'add a taxonomy sheet, or pass --taxonomy',
  },
  'suggest-class-unknown': {
    message: (a) => `${s(a.dataset)} has no class ${q(a.class)}`,
    fix: (a) => `name one of its classes, e.g. --explain ${q(a.example)}`,
  },
  'datasets-twice': {
    message: (a) => `--datasets names ${s(a.name)} twice: ${s(a.first)} and ${s(a.second)}`,
    fix: () => 'name each dataset (and each mapping) once',
  },
  'sheet-path-invalid': {
    message: (a) => `${q(a.path)} is not a sheet path <kind dir>/<name>@<semver>.csv`,
  },
  'diff-nothing-to-compare': {
    message: (a) =>
      a.latest
        ? `${s(a.latest)} is the only version: there is nothing to compare it with`
        : `there is no ${s(a.sheet)} in ${s(a.dir)} to compare ${s(a.label)} with`,
    fix: (a) => (a.latest ? `pass two sheets, folders or revisions: \`labelmap diff ${s(a.latest)} <b>\`` : 'pass the second sheet: `labelmap diff <a> <b>`'),
  },
  'sheets-folder-not-found': {
    message: (a) => (a.found === 'file' ? 'this is a file: expected a sheets folder (the folder that holds datasets/, taxonomy/, mappings/, verticals/)' : 'sheets folder not found'),
    fix: (a) =>
      a.found === 'file'
        ? `pass the sheets folder, not a file in it (e.g. \`labelmap ${s(a.command) || 'validate'} sheets\` in a folder that holds sheets/), or start one with \`labelmap init\``
        : 'pass the folder that holds datasets/, taxonomy/, mappings/ and verticals/, or start one with `labelmap init`',
  },
  'sheets-folder-invalid': {
    message: (a) => `this is not a sheets folder: expected at least one of ${s(a.expected)}, found none of them`,
    fix: () => 'pass the sheets folder itself (e.g. `labelmap validate sheets`), or start one with `labelmap init`',
  },
  'init-not-folder': {
    message: () => 'cannot start a sheets repository here: expected a folder (or a path to create one at), found a file',
    fix: () => 'pass a folder: `labelmap init my-labels`',
  },
  'labels-file-invalid': {
    message: (a) => `cannot take label ids from this file: expected ${s(a.expected)}, or a dataset sheet .csv, found ${s(a.found)}`,
    fix: () => 'pass the label file or dataset sheet the annotations were made with',
  },

  // --- sheet files -------------------------------------------------------------------------
  'sheet-file-name': {
    message: (a) => `file name ${q(a.name)} does not follow <name>@<semver>.csv${a.skipped ? ': no command reads it (skipped)' : ''}`,
    fix: (a) =>
      a.expected
        ? `rename it to ${s(a.expected)} (<name>@<semver>.csv: lower-case name, semantic version without +build)`
        : 'rename the file, e.g. coco@1.0.0.csv (lower-case name, semantic version)',
  },
  'sheet-ref-not-found': {
    message: (a) => `no sheet matches ${q(a.ref)}${a.known ? ` (known: ${s(a.known)})` : ''}`,
    fix: () => 'run `labelmap list` to see the sheets and their versions',
  },
  'sheet-version-not-found': {
    message: (a) => `no such version: ${s(a.sheet)} has no version ${s(a.version)} (versions: ${s(a.versions)})`,
    fix: (a) => `name one of its versions, e.g. ${s(a.sheet)}@${s(a.latest)}, or leave the version out for the latest`,
  },
  'sheet-ref-kind-unknown': {
    message: (a) => `${q(a.ref)}: ${q(a.kind)} is not a kind of sheet; the kinds are ${s(a.kinds)}`,
    fix: () => 'write kind/name with one of those kinds (e.g. mappings/coco), or the name alone',
  },
  'sheet-ref-ambiguous': {
    message: (a) => `${q(a.ref)} names sheets of several kinds: ${s(a.candidates)} (a bare name means the dataset sheet only when one of them is a dataset sheet)`,
    fix: (a) => `write the kind in front, e.g. ${s(a.example)}`,
  },
  'sheet-outside-repository': {
    message: () => 'this sheet is a symbolic link to a file outside the repository: labelmap does not read it (its content would land in messages and CI logs)',
    fix: () => 'replace the link with the sheet itself (a copy in the sheets folder), or remove it',
  },
  'sheet-folder-outside': {
    message: (a) => `the folder ${s(a.folder)}/ leaves the sheets folder (a symbolic link): labelmap writes no sheet through it`,
    fix: (a) => `make ${s(a.folder)}/ a real folder inside the sheets folder (move the sheets there), then run the command again`,
  },
  'sheet-exists': {
    message: (a) => `refusing to overwrite the released sheet ${s(a.file)}`,
    fix: (a) => `a released version is immutable: write a new version instead (\`labelmap bump ${s(a.ref) || '<sheet>'} <major|minor|patch>\`)`,
  },
  'sheet-readonly': {
    message: () => 'no sheets folder: refusing to write into the sheets shipped inside the labelmap package',
    fix: () => 'start a sheets folder of your own with `labelmap init`, or pass --sheets <dir> (or set LABELMAP_SHEETS)',
  },
  'csv-parse': {
    message: (a) => `malformed CSV: ${s(a.reason)}`,
    fix: (a) => s(a.fix) || 'fix the quoting on that line (a field with a comma, quote or newline must be quoted, quotes doubled)',
  },
  'csv-delimiter': {
    message: (a) => `the file is separated by ${q(a.found)}, not by commas (a spreadsheet saved in a locale that uses ${q(a.found)})`,
    fix: () => 'save it as "CSV UTF-8 (comma delimited)", or replace the separators with commas',
  },
  'csv-encoding': {
    message: (a) => `the file is not valid UTF-8 (byte 0x${s(a.byte)} at offset ${s(a.offset)}${a.guess ? `; it looks like ${s(a.guess)}` : ''})`,
    fix: (a) => `save it as UTF-8 ("CSV UTF-8" in a spreadsheet, or \`iconv -f ${s(a.from) || 'WINDOWS-1252'} -t UTF-8\`)`,
  },
  'csv-empty': {
    message: () => 'the file is empty: expected a header row',
    fix: (a) => `start the file with the header ${s(a.header)}`,
  },
  'header-missing-column': {
    message: (a) => `the header has no column ${q(a.column)} (a ${s(a.kind)} sheet needs ${s(a.required)})`,
    fix: (a) => `add the column ${q(a.column)} to the header`,
  },
  'header-unknown-column': {
    message: (a) => `unknown column ${q(a.column)} in a ${s(a.kind)} sheet`,
    fix: (a) => `remove it, or rename it to ${q(`x_${s(a.column)}`)} to keep extra data`,
  },
  'header-duplicate-column': {
    message: (a) => `the column ${q(a.column)} appears twice in the header`,
    fix: () => 'remove one of the two columns',
  },
  'cell-invalid': {
    message: (a) => `column ${q(a.column)}: expected ${s(a.expected)}, found ${q(a.found)}`,
    fix: (a) => s(a.fix),
  },
  'cell-formula': {
    message: (a) => `column ${q(a.column)}: the cell ${q(a.found)} starts with ${q(a.start)}, which a spreadsheet runs as a formula`,
    fix: (a) => s(a.fix) || 'remove the leading character or reword the cell; labelmap never needs formulas',
  },
  'duplicate-id': {
    message: (a) => `duplicate ${s(a.column) || 'id'} ${q(a.value)} (first on line ${s(a.firstLine)})`,
    fix: () => 'every id must be unique within a sheet',
  },
  // --- extract ------------------------------------------------------------------------------
  'format-undetected': {
    message: (a) =>
      `${Number(a.count) === 0 ? 'no format recognises this input' : `several formats recognise this input (${s(a.formats)})`}:\n    ${list(a.details).join('\n    ')}`,
    fix: (a) =>
      a.hint_input
        ? `\`labelmap extract ${s(a.hint_format)} ${shellWord(s(a.hint_input))}${a.flags ? ` ${s(a.flags)}` : ''}\` (${s(a.hint_why)}; \`labelmap formats\` lists every format)`
        : Number(a.count) === 0
          ? `check the path, or name the format: \`labelmap extract <format> ${s(a.input) || '<input>'}\` (\`labelmap formats\` lists them)`
          : `name the format: \`labelmap extract ${s(a.formats).split(', ')[0] || '<format>'} ${s(a.input) || '<input>'}\``,
  },
  'extract-name': {
    message: (a) => `sheet name ${q(a.name)} is not a safe file name: expected lower-case letters, digits, '.', '_' and '-', starting and ending with a letter or digit`,
    fix: () => 'pass e.g. --name my-dataset',
  },
  'extract-supersedes': {
    message: (a) =>
      `refusing to write ${s(a.name)}@${s(a.version)} over ${s(a.name)}@${s(a.previous)}: ${s(a.gone)} of its ${s(a.total)} classes are gone or renamed (e.g. ${s(a.examples)}), and the input has ${s(a.classes)} classes: this looks like another dataset, not a new version of ${s(a.name)}`,
    fix: (a) =>
      `name the new sheet: \`--name ${s(a.suggest)}\` (any safe name); if it really is a new release of ${s(a.name)} that drops these classes, pass \`--same-dataset\``,
  },
  'duplicate-name': {
    message: (a) => `duplicate ${s(a.column) || 'name'} ${q(a.value)} (first on line ${s(a.firstLine)})`,
    fix: () => 'every name must be unique within a sheet',
  },

  // --- PASCAL VOC / labelImg XML (src/formats/voc.ts) -----------------------------------------
  'voc-xml-malformed': {
    message: (a) => `malformed XML: ${s(a.reason)}`,
    fix: () => 'fix the XML at that place (every tag closed in order, one root element, a literal & written as &amp;)',
  },
  'voc-xml-entity': {
    message: (a) =>
      `the entity reference ${s(a.entity)} is not expanded: labelmap reads XML without DTD entities (external entities are never read)`,
    fix: () => 'write the text itself, or use the XML entities &amp; &lt; &gt; &quot; &apos; or a character reference such as &#233;',
  },
  'voc-not-annotation': {
    message: (a) => `expected a VOC <annotation> document, found <${s(a.found)}>`,
    fix: () => 'pass the Annotations/ folder of a VOC dataset (or a labelImg PascalVOC folder); move other XML files out of it',
  },
  'voc-object-name-missing': {
    message: () => 'an <object> without a <name> (or with an empty one)',
    fix: () => 'give the object its class name, e.g. <name>car</name>, or remove the object',
  },
  'voc-object-name-twice': {
    message: (a) => `the <object> that starts on line ${s(a.first)} has a second <name>`,
    fix: () => 'keep one <name> per <object> (one object per box)',
  },
  'voc-flag-invalid': {
    message: (a) => `<${s(a.tag)}> must be 0 or 1, found ${q(a.found)}`,
    fix: (a) => `write <${s(a.tag)}>0</${s(a.tag)}> or <${s(a.tag)}>1</${s(a.tag)}>`,
  },
  'voc-no-xml': {
    message: () => 'no .xml annotation files in this folder (looked in the folder and its Annotations/)',
    fix: (a) => s(a.fix) || 'pass a VOC Annotations/ folder, a VOCdevkit/VOC20xx folder, a labelImg folder or one .xml file',
  },
  'voc-no-objects': {
    message: (a) => `no <object> with a <name> in ${s(a.files)} annotation file${a.files === 1 ? '' : 's'}: no class names to list`,
    fix: () => 'pass --classes <file> (one class name per line) to list the classes, or check that this is the right folder',
  },
  'voc-classes-duplicate': {
    message: (a) => `the class ${q(a.name)} is listed twice (first on line ${s(a.firstLine)})`,
    fix: () => 'list every class once: its line decides its id',
  },
  'voc-classes-empty': {
    message: () => 'the class list has no names',
    fix: () => 'write one class name per line (labelImg\'s predefined_classes.txt format)',
  },
  'voc-class-not-listed': {
    message: (a) =>
      `the class ${q(a.name)} is not in ${s(a.classes)}${a.others ? ` (other annotated names missing from it: ${s(a.others)})` : ''}`,
    fix: (a) => `add ${q(a.name)} to ${s(a.classes)} (one name per line; its line decides its id), or correct the name in the annotation`,
  },

  // --- Hugging Face model config (src/formats/hf.ts) ------------------------------------------
  'hf-json-malformed': {
    message: (a) => `malformed JSON: ${s(a.reason)}`,
    fix: () => 'fix the JSON at that place (a model config.json is one JSON object)',
  },
  'hf-not-config': {
    message: (a) => `expected a Hugging Face model config (a JSON object with "id2label"), found ${s(a.found)}`,
    fix: () => 'pass the model\'s config.json (or the model folder that holds it); a model without id2label has no class names to extract',
  },
  'hf-id-invalid': {
    message: (a) => `expected a class id (a non-negative integer written as a string key), found ${q(a.key)}`,
    fix: () => 'id2label keys are the model\'s output indices: "0", "1", ...',
  },
  'hf-id-duplicate': {
    message: (a) => `the ids ${q(a.first)} and ${q(a.second)} are the same number`,
    fix: () => 'keep one key per id',
  },
  'hf-name-invalid': {
    message: (a) => `expected a non-empty class name (a string), found ${s(a.found)}`,
    fix: () => 'give every id its class name',
  },
  'hf-duplicate-name': {
    message: (a) => `the name ${q(a.name)} is used by id ${s(a.first)} and id ${s(a.second)}; a dataset sheet needs one name per class`,
    fix: () =>
      'edit a copy of config.json so that each id has its own name (e.g. "crane" -> "crane (bird)" and "crane (machine)"), fix label2id to match, and extract from the copy',
  },
  'hf-label2id-mismatch': {
    message: (a) => `id2label and label2id disagree: ${s(a.left)}, but ${s(a.right)}`,
    fix: () => 'transformers uses id2label; correct label2id (or remove it) so that both say the same',
  },
  // --- whole-set rules and merge (src/taxonomy/rules.ts, src/taxonomy/merge.ts) ------------------
  'taxonomy-missing': {
    message: (a) => `no taxonomy sheet in ${s(a.dir)}: merge needs one taxonomy/<name>@<version>.csv`,
    fix: () => 'add the unified taxonomy as taxonomy/<name>@1.0.0.csv (columns id,name,parent,display_name,color,is_thing,description)',
  },
  'taxonomy-ambiguous': {
    message: (a) => `the sheets folder holds several taxonomies (${s(a.names)}) and none was chosen`,
    fix: (a) => `name one with --taxonomy, e.g. --taxonomy ${s(a.example)}`,
  },
  'taxonomy-parent-unknown': {
    message: (a) => `class ${q(a.name)} has the parent ${q(a.parent)}, which is not a class of this taxonomy`,
    fix: (a) => `add the class ${q(a.parent)}, or correct the parent${a.suggestion ? ` (did you mean ${q(a.suggestion)}?)` : ''}, or leave the cell empty for a top-level class`,
  },
  'taxonomy-cycle': {
    message: (a) =>
      a.more ? `the parents form a cycle of ${s(a.length)} classes: ${s(a.cycle)} (and ${s(a.more)} more) (expected a tree)` : `the parents form a cycle: ${s(a.cycle)} (expected a tree)`,
    fix: () => 'break the cycle: one of these classes must have another parent or none',
  },
  'taxonomy-too-deep': {
    message: (a) =>
      `the taxonomy is ${s(a.depth)} levels deep (at most ${s(a.max)}): ${q(a.name)} is level ${Number(a.max) + 1} below ${q(a.root)}, and ${s(a.count)} ${a.count === 1 ? 'class lies' : 'classes lie'} deeper than ${s(a.max)} levels`,
    fix: () => 'check the parent column (a column shifted by one row makes every class the child of the one above); real taxonomies are a few levels deep: hang deep classes higher up',
  },
  'taxonomy-reserved-name': {
    message: (a) => `${q(a.name)} is reserved: mappings use it as a target (${a.name === 'background' ? '"background": none of the dataset\'s classes' : '"ignore": void, switched off'})`,
    fix: () => 'rename the class (e.g. "unlabeled" or "void"); to drop pixels, map them to ignore instead',
  },
  'taxonomy-id-range': {
    message: (a) => `class ${q(a.name)} has the id ${s(a.id)}: expected at most ${s(a.max)} (ids are the train ids of the unified label set, 16-bit with ${s(a.ignore)} for ignore)`,
    fix: () => 'give the class a smaller unused id',
  },
  'taxonomy-id-changed': {
    message: (a) => `class ${q(a.name)} has the id ${s(a.id)}, but had the id ${s(a.previous)} in ${s(a.version)}: taxonomy ids are never renumbered`,
    fix: (a) => `give ${q(a.name)} its id ${s(a.previous)} back (a renamed or changed class keeps its id)`,
  },
  'taxonomy-id-reused': {
    message: (a) => `the id ${s(a.id)} of class ${q(a.name)} belonged to ${q(a.previousName)} in ${s(a.version)}: an id is never reused, not even after its class was removed`,
    fix: (a) => `give ${q(a.name)} a new id (the next free one is ${s(a.next)})`,
  },
  'mapping-missing': {
    message: (a) => `dataset sheet ${s(a.dataset)} has no mapping sheet (expected ${s(a.expected)})${a.skipped ? ': skipped' : ''}`,
    fix: (a) => `write the mapping ${s(a.expected)} (columns source,target,note; one row per class of the dataset)${a.skipped ? '' : `, or leave ${s(a.name)} out of --datasets`}`,
  },
  'mapping-source-missing': {
    message: (a) => `class ${q(a.source)} (id ${s(a.id)}) of ${s(a.dataset)} has no row in ${s(a.mapping)}: every class of the dataset sheet appears exactly once in its mapping`,
    fix: (a) => `add the row ${s(a.example)} to ${s(a.mapping)} (a taxonomy class name, or ignore)`,
  },
  'mapping-source-unknown': {
    message: (a) => `source ${q(a.source)} is not a class of ${s(a.dataset)}`,
    fix: (a) => `${a.suggestion ? `did you mean ${q(a.suggestion)}? ` : ''}correct the name (exactly as in the dataset sheet's name column), or remove the row`,
  },
  'mapping-target-unknown': {
    message: (a) => `source ${q(a.source)} maps to ${q(a.target)}, which is not a class of ${s(a.taxonomy)} (expected a taxonomy class name or ignore)`,
    fix: (a) => `${a.suggestion ? `did you mean ${q(a.suggestion)}? ` : ''}use a class of the taxonomy, add ${q(a.target)} to the taxonomy, or write ignore`,
  },
  'mapping-contains-unknown': {
    message: (a) => `source ${q(a.source)} declares it contains ${q(a.contains)}, which is not a class of ${s(a.taxonomy)}`,
    fix: (a) => `${a.suggestion ? `did you mean ${q(a.suggestion)}? ` : ''}name taxonomy classes in contains, space-separated`,
  },
  'vertical-empty': {
    message: (a) => `vertical ${s(a.vertical)} has no rows: expected at least one output class`,
    fix: () => 'add rows class,include,train_id,color (e.g. car,car,,)',
  },
  'vertical-class-reserved': {
    message: (a) => `${q(a.class)} cannot be an output class: the name is reserved for switched-off pixels`,
    fix: () => 'rename the output class; anything the vertical does not include is ignore already',
  },
  'vertical-include-unknown': {
    message: (a) => `class ${q(a.class)} includes ${q(a.include)}, which is not a class of ${s(a.taxonomy)}`,
    fix: (a) => `${a.suggestion ? `did you mean ${q(a.suggestion)}? ` : ''}include a taxonomy class (its whole subtree comes along)`,
  },
  'vertical-include-conflict': {
    message: (a) => `${q(a.include)} is included by ${q(a.class)} and by ${q(a.other)} (line ${s(a.firstLine)}): one taxonomy class falls into one output class`,
    fix: (a) => `a taxonomy class belongs to one output class: keep the row for ${q(a.other)} or for ${q(a.class)}; to split a subtree, include its children in different classes`,
  },
  'vertical-include-duplicate': {
    message: (a) => `class ${q(a.class)} includes ${q(a.include)} twice (first on line ${s(a.firstLine)})`,
    fix: () => 'remove the repeated row',
  },
  'vertical-include-redundant': {
    message: (a) =>
      `output class ${q(a.class)} includes ${q(a.include)} here and already includes it through its ancestor ${q(a.ancestor)} (line ${s(a.ancestorLine)}), whose whole subtree it takes`,
    fix: () => 'remove this row: the ancestor row already includes the class',
  },
  'vertical-train-id-reserved': {
    message: (a) => `class ${q(a.class)} has the train id ${s(a.train_id)}, which is reserved for ignore`,
    fix: () => 'use a train id from 0 to 254',
  },
  'vertical-train-id-range': {
    message: (a) => `class ${q(a.class)} has the train id ${s(a.train_id)}: a vertical is written as uint8 masks (train ids 0..254, 255 = ignore)`,
    fix: () => 'use a train id from 0 to 254',
  },
  'vertical-train-id-conflict': {
    message: (a) => `class ${q(a.class)} has the train id ${s(a.train_id)} here and ${s(a.previous)} on line ${s(a.firstLine)}: one output class has one train id`,
    fix: () => 'give every row of the class the same train id, or leave the cell empty on all rows but one',
  },
  'vertical-train-id-duplicate': {
    message: (a) => `class ${q(a.class)} has the train id ${s(a.train_id)}, which class ${q(a.other)} has already (line ${s(a.firstLine)})`,
    fix: () => 'give every output class its own train id; to merge two classes into one, give them one class name',
  },
  'vertical-train-id-partial': {
    message: (a) => `class ${q(a.class)} has no train id, but other classes have one (e.g. ${q(a.example)} on line ${s(a.exampleLine)})`,
    fix: () => 'give every class a train id, or none (then they count from 0 in order of first appearance)',
  },
  'vertical-train-id-gap': {
    message: (a) => `the train ids skip ${s(a.missing)}: the model gets output channels that no class ever trains`,
    fix: () => 'renumber to close the gap (a major change for a released vertical), or leave it if the gap is on purpose',
  },
  'vertical-other-multiple': {
    message: (a) => `class ${q(a.class)} is marked other, but ${q(a.first)} (line ${s(a.firstLine)}) is the catch-all already: a vertical has one other class`,
    fix: () => 'set other to true on the rows of one class only',
  },
  'vertical-is-thing-mixed': {
    message: (a) =>
      `output class ${q(a.class)} covers things (${s(a.things)}) and stuff (${s(a.stuff)}) and has no is_thing cell: it is counted as ${a.decided ? 'a thing' : 'stuff'} by the rule of docs/merge.md`,
    fix: () => 'write true or false in the is_thing column of the class (an optional column of the vertical)',
  },
  'vertical-too-many-classes': {
    message: (a) => `vertical ${s(a.vertical)} has ${s(a.count)} output classes: at most 255 fit into uint8 masks (0..254, 255 = ignore)`,
    fix: () => 'group taxonomy classes into fewer output classes (several rows with one class name)',
  },
  'output-in-sheets': {
    message: (a) => `the output ${a.what === 'file' ? 'file' : 'folder'} is inside the sheets folder ${s(a.sheets)}: build outputs there would be read as sheets (or mistaken for them in review)`,
    fix: () => 'pass a folder next to the sheets folder, e.g. --out build/my-vertical (the default is build/ next to the sheets folder)',
  },
  'merge-coarser-than-vertical': {
    message: (a) =>
      `${s(a.dataset)} class ${q(a.source)} maps to ${q(a.target)}, which the vertical splits into ${listSome(list(a.labels), 8)}${a.left_out ? ` (not in the vertical: ${listSome(list(a.left_out), 5, Number(a.left_out_count ?? list(a.left_out).length))})` : ''}: the class falls to ignore, and ${s(a.dataset)} counts as partial for ${listSome(list(a.labels), 8)}${a.vertical ? ` in ${s(a.vertical)}` : ''}`,
    fix: (a) => `map ${q(a.source)} to a finer class if the dataset allows it, or include ${q(a.target)} whole in one output class`,
  },
  'merge-too-many-label-sets': {
    message: (a) =>
      `the label sets need ${s(a.sets)} ids after the output labels (from ${s(a.first)}), but only ${s(a.room)} fit below the ignore id ${s(a.ignore)}`,
    fix: () => 'merge with `--coarse ignore` (coarse classes fall to ignore), merge fewer datasets (--datasets), or give the vertical fewer output classes',
  },
  // --- image attributes (src/rules/attributes.ts, src/attributes, docs/attributes.md) -----------
  'attribute-value-duplicate': {
    message: (a) => `${s(a.key)} = ${s(a.value)} is in the sheet twice (first on line ${s(a.firstLine)}): every value of a key appears once`,
    fix: () => 'remove one of the two rows',
  },
  'attribute-mapping-duplicate': {
    message: (a) => `the source value ${s(a.sourceKey)} = ${q(a.sourceValue)} is mapped twice (first on line ${s(a.firstLine)}): every dataset value is mapped exactly once`,
    fix: () => 'keep one row for the value',
  },
  'attribute-mapping-target-unknown': {
    message: (a) => `${s(a.sourceKey)} = ${q(a.sourceValue)} maps to ${s(a.key)} = ${s(a.value)}, which is not in the attribute vocabulary (${s(a.vocabulary)})`,
    fix: (a) => `${a.suggestion ? `did you mean ${q(a.suggestion)}? ` : ''}use a value of the key in the vocabulary, add it there, or leave the value empty for missing`,
  },
  'attribute-mapping-unknown-as-value': {
    message: (a) => `${s(a.sourceKey)} = ${q(a.sourceValue)} says the value is not known, but it maps to the value ${s(a.value)}: unknown is missing, not a value`,
    fix: (a) => `leave the value cell empty (the row then reads ${s(a.sourceKey)},${s(a.sourceValue)},${s(a.key)},,)`,
  },
  'attribute-vocabulary-missing': {
    message: (a) => `${s(a.sheet)} maps attribute values, but the sheets folder has no attribute vocabulary (attributes/<name>@<version>.csv)`,
    fix: () => 'add the vocabulary (columns key,value,display_name,description), e.g. a copy of labelmap\'s sheets/attributes/unified@1.0.0.csv',
  },
  'attribute-rule-invalid': {
    message: (a) => `the rule for ${s(a.key)} = ${s(a.value)} (when ${s(a.when)}) ${s(a.problem)}`,
    fix: (a) => s(a.fix),
  },
  'attribute-rule-class-unknown': {
    message: (a) => `the rule for ${s(a.key)} = ${s(a.value)} names the class ${q(a.class)}, which is not a class of ${s(a.taxonomy)}`,
    fix: (a) => `${a.suggestion ? `did you mean ${q(a.suggestion)}? ` : ''}name a taxonomy class (its whole subtree counts)`,
  },
  'attribute-dataset-unknown': {
    message: (a) => `no attribute mapping for the dataset ${q(a.dataset)} (known: ${s(a.known)})`,
    fix: (a) => `pass --dataset with one of ${s(a.known)}, or write attribute-mappings/${s(a.dataset)}@1.0.0.csv (columns source_key,source_value,key,value,note)`,
  },
  'attribute-dataset-unmapped': {
    message: (a) => `the dataset ${q(a.dataset)} has neither a class mapping (mappings/${s(a.dataset)}) nor an attribute mapping (known: ${s(a.known)})`,
    fix: (a) => `pass --dataset with one of ${s(a.known)} (its class mapping takes the annotations' classes to the taxonomy), or write mappings/${s(a.dataset)}@1.0.0.csv`,
  },
  'attribute-dataset-missing': {
    message: () => 'missing --dataset',
    fix: () => 'name the attribute mapping of the input, e.g. --dataset bdd100k (or --dataset generic for an image,key,value CSV)',
  },
  'attribute-input-empty': {
    message: () => 'the input holds no image: nothing to give attributes to',
    fix: () => 'pass a BDD100K label file (a list of frames) or an image,key,value CSV with rows',
  },
  'attribute-value-unmapped': {
    message: (a) => `image ${q(a.image)}: ${s(a.sourceKey)} = ${q(a.sourceValue)} has no row in ${s(a.mapping)}`,
    fix: (a) => `add the row ${s(a.sourceKey)},${csvText(a.sourceValue)},<key>,<value>, to ${s(a.mapping)} (an empty value maps it to missing)`,
  },
  // --- versioning: diff, bump, release, the lock (src/versioning, src/cli/commands/{diff,bump,release}) ---
  'lock-sheet-changed': {
    message: (a) =>
      `the released sheet ${s(a.file)} changed after it was locked (${s(a.lock)} records sha256 ${s(a.locked)}..., the file now has ${s(a.found)}...)`,
    fix: (a) =>
      `a released version is immutable: restore it (\`git -C ${s(a.sheets) || '.'} checkout -- ${s(a.file)}\`), start a new version with \`labelmap bump ${s(a.ref)} <major|minor|patch>\` and make the change there`,
  },
  'lock-sheet-missing': {
    message: (a) => `the released sheet ${s(a.file)} is locked in ${s(a.lock)} but the file is gone`,
    fix: (a) =>
      `a released version is never deleted (models trained with it name this version): restore it with \`git -C ${s(a.sheets) || '.'} checkout -- ${s(a.file)}\`, and make changes in a new version (\`labelmap bump ${s(a.ref)} <major|minor|patch>\`)`,
  },
  'lock-invalid': {
    message: (a) => `the lock file is not valid: ${s(a.reason)}`,
    fix: () => 'restore it from git, or delete it and run `labelmap release` to write it again',
  },
  'bump-too-small': {
    message: (a) =>
      `${s(a.ref)} ${s(a.from)} -> ${s(a.to)} is a ${s(a.actual) === 'none' ? 'no-version-change' : s(a.actual)} step, but its ${s(a.changes)} change(s) demand ${s(a.required)} (e.g. ${s(a.example)})`,
    fix: (a) =>
      `\`labelmap diff ${s(a.ref)}@${s(a.from)} ${s(a.ref)}@${s(a.to)}\` shows every change; give it the version ${s(a.suggest)} by renaming the file to ${s(a.suggestName)}: \`mv ${inFolder(a.sheets, a.file)} ${inFolder(a.sheets, a.renamed)}\` (git records the rename when you add both paths)`,
  },
  'bump-no-change': {
    message: (a) => `${s(a.ref)} has no change from ${s(a.previous)}`,
    fix: () => 'make the change it was started for, or delete the file if the bump was a mistake',
  },
  'bump-unedited': {
    message: (a) => `${s(a.ref)}@${s(a.version)} is still an unedited copy of ${s(a.previous)}: a bump now would add another identical version`,
    fix: (a) => `edit ${s(a.file)} (the version started for your change), or delete it if the bump was a mistake`,
  },
  'bump-not-latest': {
    message: (a) => `${s(a.ref)} is not the latest version (latest: ${s(a.latest)})`,
    fix: (a) => `start the next version from the latest: \`labelmap bump ${s(a.name)} ${s(a.level)}\``,
  },
  'diff-source-unknown': {
    message: (a) =>
      `${q(a.arg)} is not a sheet file, a sheets folder, a sheet in ${s(a.sheets)}, or a git revision${a.git ? ` (${s(a.git)})` : ''}`,
    fix: () => 'pass a file (sheets/datasets/coco@1.0.0.csv), a folder, a reference (coco@1.0.0, mappings/coco) or a revision (v1, main, HEAD~1)',
  },
  'diff-kind-mismatch': {
    message: (a) => `cannot compare ${s(a.before)} with ${s(a.after)}: ${s(a.reason)}`,
    fix: () => 'compare two sheets of one kind, or two sheet sets (folders or git revisions)',
  },
  'diff-sheet-kind': {
    message: (a) => `cannot tell which kind of sheet ${s(a.file)} is: its header ${q(a.header)} fits none of dataset, taxonomy, mapping, vertical`,
    fix: () => 'put it in a datasets/, taxonomy/, mappings/ or verticals/ folder, or fix its header',
  },
  'git-failed': {
    message: (a) => `git ${s(a.command)} failed: ${s(a.reason)}`,
    fix: (a) => s(a.fix) || 'check that git is installed and that the sheets folder is inside a git repository',
  },
  // --- Cityscapes, Mapillary Vistas, ApolloScape extractors (formats/python-labels, cityscapes,
  // mapillary, apolloscape, polygon-folders) ----------------------------------------------------
  'python-labels-encoding': {
    message: (a) => `the label file is not valid UTF-8 (byte 0x${s(a.byte)} at offset ${s(a.offset)})`,
    fix: () => 'save the file as UTF-8 (e.g. `iconv -f GBK -t UTF-8 labels.py > labels-utf8.py`)',
  },
  'python-labels-syntax': {
    message: (a) => `a label row does not parse: expected ${s(a.expected)}, found ${s(a.found)}`,
    fix: () =>
      'write every row as Label(value, value, ...) with literal values only: quoted strings, numbers, True/False/None and (r, g, b) tuples (labelmap reads the file as text and never runs it)',
  },
  'python-labels-none': {
    message: (a) => `no ${s(a.tuple)}(...) rows in the file (found ${s(a.found)})`,
    fix: () => "pass the label definition itself, the file with `labels = [ Label( 'unlabeled', 0, ... ), ... ]`",
  },
  'python-labels-layout': {
    message: (a) => `the file has no namedtuple field list, and its rows have ${s(a.found)} values, which is no layout labelmap knows (${s(a.known)})`,
    fix: (a) => `add the field list above the rows, e.g. ${s(a.tuple) || 'Label'} = namedtuple( 'Label' , [ 'name', 'id', 'trainId', ... ] )`,
  },
  'python-labels-arity': {
    message: (a) => `the row has ${s(a.found)} values where ${s(a.source)} has ${s(a.expected)} (${s(a.fields)})`,
    fix: () => 'give the row one value per field, in the order of the field list',
  },
  'python-labels-value': {
    message: (a) => `field ${q(a.field)}: expected ${s(a.expected)}, found ${s(a.found)}`,
    fix: () => 'correct the value in that row',
  },
  'python-labels-field-missing': {
    message: (a) => `the field list has no ${q(a.field)} field (fields: ${s(a.fields)})`,
    fix: () => "a label table needs at least the fields 'name' and 'id'",
  },
  'labels-duplicate': {
    message: (a) => `duplicate ${s(a.key)} ${q(a.value)}: ${q(a.name)} repeats the ${s(a.key)} of ${q(a.other)} (${s(a.firstPlace)})`,
    fix: (a) => (a.key === 'id' ? 'give every label its own id, or remove the repeated row' : 'every label name must be unique: rename or remove one of the two'),
  },
  'label-json-invalid': {
    message: (a) => `not valid JSON: ${s(a.reason)}`,
    fix: () => 'the file is damaged or cut short: download or extract it again',
  },
  'label-json-shape': {
    message: (a) => `expected ${s(a.expected)}, found ${s(a.found)}`,
    fix: (a) => s(a.fix) || 'is this the right file?',
  },
  'unknown-label': {
    message: (a) =>
      `unknown label ${q(a.label)}: it is not in ${s(a.source)}${a.more ? ` (also unknown: ${s(a.more)})` : ''}`,
    fix: (a) => `pass the label table the annotations were made with (${s(a.flag) || '--labels <file or sheet>'}), or correct the label in the file`,
  },
  'polygons-none': {
    message: (a) => `no ${s(a.pattern)} files under the folder`,
    fix: (a) => s(a.fix),
  },
  'label-file-kind': {
    message: (a) => `this is ${s(a.found)}, not ${s(a.expected)}`,
    fix: (a) => `run \`labelmap extract ${s(a.format)} ${s(a.input) || '<file>'}\` instead`,
  },
  'labels-source-missing': {
    message: (a) => `ids come from a label table, and none was given (${s(a.what)})`,
    fix: (a) => `pass --labels ${s(a.example)}`,
  },
  'mapillary-no-labels': {
    message: (a) => `the config has no "labels" array (found ${s(a.found)})`,
    fix: () => 'pass the Vistas config.json (config_v1.2.json, config_v2.0.json) whose "labels" lists every class',
  },
  'mapillary-label-no-name': {
    message: (a) => `label ${s(a.index)} has no "name" (found ${s(a.found)})`,
    fix: () => 'every label needs a "name" such as "construction--flat--road"',
  },
  // --- class lists and label tables as text (formats/lib/text-lines, names, ade20k, camvid, ...) ---
  'class-list-empty': {
    message: (a) => `the file holds no ${s(a.what)}`,
    fix: (a) => s(a.fix) || 'is this the right file?',
  },
  'class-list-header': {
    message: (a) => `the header ${q(a.found)} is not ${s(a.expected)}`,
    fix: (a) => s(a.fix) || 'pass the file as published, with its header line',
  },
  'class-list-line': {
    message: (a) => `expected ${s(a.expected)}, found ${s(a.found)}`,
    fix: (a) => s(a.fix) || 'correct that line, or remove it',
  },
  // --- YAML and TOML configs (formats/yolo, formats/bdd100k) -------------------------------------
  'config-syntax': {
    message: (a) => `malformed ${s(a.language)}: ${s(a.reason)}`,
    fix: (a) => s(a.fix) || `fix the ${s(a.language)} at that place`,
  },
  'config-shape': {
    message: (a) => `${s(a.key) ? `${q(a.key)}: ` : ''}expected ${s(a.expected)}, found ${s(a.found)}`,
    fix: (a) => s(a.fix) || 'is this the right file?',
  },
  'yolo-nc-mismatch': {
    message: (a) => `"nc" is ${s(a.nc)} but "names" lists ${s(a.count)} classes`,
    fix: () => 'make "nc" the number of names (or drop "nc": labelmap counts the names)',
  },
  // --- format plugins (labelmap.config.mjs in a sheets repository; formats/plugins) -------------
  'plugin-load': {
    message: (a) => `the format plugin config could not be loaded: ${s(a.reason)}`,
    fix: () => 'fix labelmap.config.mjs (`node labelmap.config.mjs` shows the error), or move it away',
  },
  'plugin-invalid': {
    message: (a) => `${s(a.what)}: expected ${s(a.expected)}, found ${s(a.found)}`,
    fix: () => 'a plugin exports `default { formats: [extractor, ...] }`, each with id, title, input, detect and extract (see docs/formats.md)',
  },
  'plugin-failed': {
    message: (a) => `the plugin format ${q(a.format)} (${s(a.plugin)}) failed: ${s(a.reason)}`,
    fix: () => 'fix the plugin, or throw a LabelmapError from it to report a problem in the input',
  },
  'plugin-result': {
    message: (a) => `the plugin format ${q(a.format)} returned ${s(a.what)}: expected ${s(a.expected)}, found ${s(a.found)}`,
    fix: () => 'extract() returns { name, rows: [{ id, name, ... }], notes: [] } (the Extraction type)',
  },
  // --- the label API and export (labelmap.json bundles) ------------------------------------------
  'bundle-json': {
    message: (a) => `not valid JSON: ${s(a.reason)}`,
    fix: () => 'the file is not a labelmap.json bundle or was cut off: write it again with `labelmap merge`',
  },
  'bundle-format': {
    message: (a) => `not a labelmap bundle: expected a JSON object with "format": "labelmap-bundle", found ${s(a.found)}`,
    fix: () => 'pass the labelmap.json that `labelmap merge` writes',
  },
  'bundle-version': {
    message: (a) => `the bundle has format_version ${s(a.found)}; this labelmap reads format_version ${s(a.expected)}`,
    fix: (a) =>
      Number(a.found) > Number(a.expected)
        ? 'the bundle was written by a newer labelmap: upgrade labelmap, or write the bundle again with this one (`labelmap merge`)'
        : 'write the bundle again with this labelmap (`labelmap merge`)',
  },
  'bundle-invalid': {
    message: (a) => `${s(a.message)}: expected ${s(a.expected)}, found ${s(a.found)}`,
    fix: () => 'the bundle was edited by hand or damaged: write it again with `labelmap merge` instead of editing it',
  },
  'unknown-dataset': {
    message: (a) => `the bundle has no dataset ${q(a.dataset)} (datasets: ${s(a.known) || 'none'})`,
    fix: () => 'use one of the datasets listed; a dataset is in the bundle when the sheets hold its dataset and mapping sheets',
  },
  'attribute-image-unknown': {
    message: (a) => `the attribute table ${s(a.file)} has no image ${q(a.image)} (${s(a.images)} images)`,
    fix: () => 'ask for an image by its name as the table writes it (the first column); `has(image)` tells first',
  },
  'attribute-key-unknown': {
    message: (a) => `the attribute table has no key ${q(a.key)} (keys: ${s(a.known) || 'none'})`,
    fix: () => 'use one of the keys listed (the columns after image)',
  },
  'attribute-table-invalid': {
    message: (a) => `not an attribute table: ${s(a.problem)}; expected ${s(a.expected)}`,
    fix: () => 'pass a table as the attributes command writes it (CSV or JSONL)',
  },
  'attribute-table-value-unknown': {
    message: (a) => `${s(a.what)} is not in the bundle's attribute vocabulary ${s(a.vocabulary)} (known: ${s(a.known)})`,
    fix: () => 'write the table again (the attributes command) with the sheets the bundle was merged from, or merge the bundle from the sheets the table was written with',
  },
  'unknown-class': {
    message: (a) => `dataset ${q(a.dataset)} has no class ${s(a.what)}${a.hint ? ` (did you mean ${q(a.hint)}?)` : ''}`,
    fix: (a) => `look the class up by its native id or exact native name, as in the dataset sheet (\`labelmap show ${s(a.dataset) || '<dataset>'}\`)`,
  },
  'unknown-output-label': {
    message: (a) => `no output label ${s(a.what)} in ${s(a.set)} (labels: ${s(a.known)})`,
    fix: () => 'use an output label name or train id of this bundle',
  },
  'unknown-export': {
    message: (a) => `unknown export format ${q(a.format)} (formats: ${s(a.known)})`,
    fix: () => 'pass one of the formats listed',
  },
  'unknown-encoding': {
    message: (a) => `dataset ${q(a.dataset)} has no mask encoding ${q(a.encoding)} (encodings: ${s(a.known)})`,
    fix: () => "leave the encoding out for masks that hold the dataset's native ids, or use one of the encodings listed (derived from the dataset sheet's train_id and mask_value columns)",
  },
  'lut-too-large': {
    message: (a) => `dataset ${q(a.dataset)} has native id ${s(a.id)}: a lookup table indexed by native id would have ${s(a.id)} + 1 entries (at most ${s(a.max)})`,
    fix: () => 'use the map form instead (LabelSpace.lutMap), which holds only the ids the dataset has',
  },
  'file-unwritable': {
    message: (a) => `cannot write ${s(a.what) || 'file'}: ${s(a.reason)}`,
    fix: (a) => s(a.fix) || 'write to a file in a folder you can write, e.g. --out labelmap_labels.py in the working folder',
  },
  'report-diff-arguments': {
    message: (a) => `--diff takes one or two references (a revision, a folder or name@version), not ${s(a.count)}`,
    fix: () => 'pass two references (e.g. the tags v1 v2), or one to compare it with the work tree',
  },
  'output-not-ours': {
    message: (a) =>
      a.what === 'folder'
        ? `refusing to write into the folder ${q(a.file)}: labelmap did not make it (it holds other files and no .labelmap-output marker), and it never replaces or removes files it did not write`
        : `refusing to replace ${q(a.file)}: it is not a ${s(a.what)} that labelmap wrote`,
    fix: (a) => s(a.fix) || 'pass another output path, or remove the file yourself',
  },
  'suggest-out-in-sheets': {
    message: (a) => `--out names a file inside the sheets folder ${s(a.sheets)}: a draft is read as a sheet there before anyone has reviewed it`,
    fix: (a) => `write the draft outside the sheets folder (\`labelmap suggest ${s(a.name)} --out draft.csv\`), or as the dataset's first mapping version with --write (\`labelmap suggest ${s(a.name)} --write\`)`,
  },
  'suggest-mapping-exists': {
    message: (a) => `${s(a.name)} already has a mapping sheet: refusing to write a draft over it`,
    fix: (a) => `write the draft elsewhere (\`labelmap suggest ${s(a.name)} --out draft.csv\`) and merge the rows you want by hand`,
  },
  'mapping-row-unreviewed': {
    message: (a) => `mapping row ${q(a.source)} is still marked x_review=${s(a.review)} (a draft from \`labelmap suggest\`)`,
    fix: () => 'review the row (target, note), then clear its x_review cell (or delete the x_ columns)',
  },
  'export-name-clash': {
    message: (a) => `output labels ${q(a.first)} and ${q(a.second)} both become the ${s(a.what)} ${q(a.name)}`,
    fix: () => 'rename one of the two output classes in the vertical sheet',
  },
  'export-name-invalid': {
    message: (a) => `${s(a.format)} cannot hold the ${s(a.what)} ${q(a.name)}: ${s(a.why)}`,
    fix: () => 'rename the class in its sheet (or export to a format with escapes, e.g. --format json)',
  },
  'export-attribute-key-taken': {
    message: (a) => `the attribute key ${q(a.key)} is also ${s(a.what)} in the ${s(a.format)} export: the tool would read the two as one`,
    fix: () => 'rename the key in the attribute vocabulary (attributes/<name>, a major version), or the output label in the vertical',
  },
  'export-name-reserved': {
    message: (a) => `output label ${q(a.name)} has a name that ${s(a.format)} uses for its own placeholder`,
    fix: () => 'rename the output class in the vertical sheet: the two would be one class to the consumer',
  },
  'export-empty': {
    message: (a) => `${s(a.format)} needs at least one ${s(a.what)}, and no output label of ${s(a.set)} is one`,
    fix: (a) => s(a.fix),
  },
  // --- validate (issue 9): file layout, cross-version and cross-sheet rules, init --------------
  'header-wrong-kind': {
    message: (a) => `the header is that of a ${s(a.found)} sheet, but the file is in ${s(a.dir)}/, the folder of ${s(a.kind)} sheets`,
    fix: (a) => `move the file to ${s(a.foundDir)}/, or give it the header of a ${s(a.kind)} sheet`,
  },
  'sheet-file-misplaced': {
    message: () => 'this CSV file is outside the sheet folders, so no command reads it (expected sheets/<kind>/<name>@<semver>.csv)',
    fix: (a) =>
      a.expected
        ? `move it to ${s(a.expected)}`
        : 'move it into datasets/, taxonomy/, mappings/ or verticals/ (by its kind), or out of the sheets folder',
  },
  'mapping-dataset-missing': {
    message: (a) => `a mapping for the dataset ${q(a.name)}, but there is no dataset sheet ${s(a.expected)}`,
    fix: (a) =>
      a.suggestion
        ? `rename the mapping to match the dataset sheet ${q(a.suggestion)}, or add the dataset sheet with \`labelmap extract <format> <input> --name ${s(a.name)}\``
        : `add the dataset sheet with \`labelmap extract <format> <input> --name ${s(a.name)}\`, or remove the mapping`,
  },
  'vertical-color-duplicate': {
    message: (a) => `the colour ${s(a.color)} of class ${q(a.class)} is also the colour of class ${q(a.otherClass)} (line ${s(a.otherLine)})`,
    fix: () => 'give every output class its own colour: colour-coded label images and viewers cannot tell them apart',
  },
  'init-exists': {
    message: () => 'a sheets folder exists here already: init never overwrites one',
    fix: () => 'run `labelmap init` in an empty folder, or pass another folder: `labelmap init my-labels`',
  },
  // --- large JSON inputs (formats/lib/json-scan.ts) and COCO (formats/coco.ts) -----------------------
  'json-empty': {
    message: () => 'the file is empty: expected a JSON value',
    fix: () => 'check that the download or export finished',
  },
  'json-malformed': {
    message: (a) => `malformed JSON at byte ${s(a.offset)}: expected ${s(a.expected)}, found ${s(a.found)}`,
    fix: () => 'the file is damaged or was edited by hand: re-export or re-download it, or fix the JSON at that place',
  },
  'json-truncated': {
    message: (a) => `the file ends at byte ${s(a.offset)} inside ${s(a.inside)} (${s(a.open)} bracket${a.open === 1 ? '' : 's'} still open): it is truncated`,
    fix: () => 're-download or re-export the file (an interrupted download or a full disk cuts JSON files short)',
  },
  'json-value-too-long': {
    message: (a) => `the value starting at byte ${s(a.offset)} is longer than ${s(a.limit)}, more than labelmap reads whole`,
    fix: () => 'this value should be small (a key, an id, one category): check that the file is the one you meant',
  },
  'coco-input-folder': {
    message: (a) =>
      list(a.found).length
        ? `this is a folder: expected a COCO annotation JSON file; found ${list(a.found).length === 1 ? 'one' : list(a.found).length} in it: ${listSome(list(a.found), 8)}`
        : 'this is a folder: expected a COCO annotation JSON file, and the folder (with its subfolders one level down) holds none',
    fix: (a) =>
      list(a.found).length
        ? `pass the file: \`labelmap extract coco ${shellWord(list(a.found)[0]!)}${a.flags ? ` ${s(a.flags)}` : ''}\`${list(a.found).length > 1 ? ' (or one of the others listed)' : ''}`
        : 'pass the annotation .json file itself (e.g. annotations/instances_val2017.json)',
  },
  'coco-not-json': {
    message: (a) => `not JSON: the file starts with ${s(a.found)}; expected a COCO annotation JSON file`,
    fix: () => 'pass the annotation .json file (e.g. annotations/instances_val2017.json), not an image, archive or HTML page',
  },
  'coco-no-categories': {
    message: (a) => `no categories array found: this looks like ${s(a.looks)}; expected a COCO annotation file with a top-level categories array`,
    fix: () => 'pass a COCO annotation file (instances_*.json, panoptic_*.json, stuff_*.json) or a JSON array of categories',
  },
  'coco-category-field': {
    message: (a) => `category ${s(a.field)}: expected ${s(a.expected)}, found ${s(a.found)}`,
    fix: (a) => s(a.fix) || 'each category is {"id": <integer>, "name": "<text>", "supercategory": "<text>"}',
  },
  'coco-duplicate-category': {
    message: (a) => `duplicate category ${s(a.field)} ${q(a.value)} (first at ${s(a.first)})`,
    fix: () => 'every category needs its own id and name: remove or renumber the duplicate',
  },
  'coco-annotation-field': {
    message: (a) => `annotation ${s(a.field)}: expected ${s(a.expected)}, found ${s(a.found)}`,
    fix: (a) => s(a.fix) || 'every annotation needs an integer category_id (panoptic: segments_info[].category_id) and an image_id',
  },
  'coco-image-field': {
    message: (a) => `image ${s(a.field)}: expected ${s(a.expected)}, found ${s(a.found)}`,
    fix: () => 'every element of images needs an integer (or string) id; file_name and height, when given, a string and a positive number',
  },
  'coco-duplicate-key': {
    message: (a) => `the top-level key ${q(a.key)} appears twice (its values start near bytes ${s(a.first)} and ${s(a.second)})`,
    fix: () => 'keep one of the two; JSON readers disagree on which one wins',
  },
  // --- apply: remapping annotation files (src/apply) ---------------------------------------------
  'apply-dataset-missing': {
    message: () => 'missing --dataset',
    fix: () => 'name the dataset the files belong to, e.g. --dataset cityscapes',
  },
  'apply-out-missing': {
    message: () => 'missing --out',
    fix: () => 'pass --out <folder> for the remapped files, or --stats to count only',
  },
  'apply-shard-invalid': {
    message: (a) => `--shard ${q(a.value)} is not K/N with 0 <= K < N`,
    fix: () => 'pass e.g. --shard 0/4 ... --shard 3/4 (K counts from 0, as Kubernetes and Slurm array indexes do)',
  },
  'apply-coarse-bundle': {
    message: (a) => `--coarse ${s(a.given)}, but the bundle was compiled with coarse ${s(a.bundle)}`,
    fix: (a) => `leave --coarse out to use the bundle as it is (coarse ${s(a.bundle)}), or compile from the sheets with --vertical instead of --bundle`,
  },
  'option-not-positive-integer': {
    message: (a) => `${s(a.flag)} ${q(a.value)} is not a positive integer`,
    fix: (a) => `pass e.g. ${s(a.flag)} 2`,
  },
  'apply-png-invalid': {
    message: (a) => `not a readable PNG: ${s(a.reason)}`,
    fix: () => 'the file is damaged or cut short: fetch or extract it again; other files are remapped',
  },
  'apply-mask-bit-depth': {
    message: (a) => `a ${s(a.found)}-bit mask, but ${q(a.dataset)} has ids 0..${s(a.max)}: expected an 8-bit mask`,
    fix: () => 'a 16-bit PNG holds other values (Cityscapes *_instanceIds.png, Mapillary instance PNGs): pass the label masks, or narrow the folder with --match',
  },
  'apply-mask-value-unknown': {
    message: (a) => `mask value ${s(a.value)} (${s(a.pixels)} pixels, the first at x=${s(a.x)}, y=${s(a.y)}) is no class of the dataset sheet`,
    fix: () => 'check that the mask belongs to this dataset (--dataset), or add the class to the dataset sheet and its mapping',
  },
  'apply-colour-unknown': {
    message: (a) => `colour ${s(a.colour)} (${s(a.pixels)} pixels, the first at x=${s(a.x)}, y=${s(a.y)}) is the colour of no class in the ${q(a.dataset)} sheet`,
    fix: () => 'check that the mask belongs to this dataset (--dataset) and is not resampled (smoothing makes new colours), or add the colour to the dataset sheet',
  },
  'apply-colour-ambiguous': {
    message: (a) => `colour ${s(a.colour)} (${s(a.pixels)} pixels, the first at x=${s(a.x)}, y=${s(a.y)}) belongs to several ${q(a.dataset)} classes that go to different train ids`,
    fix: () => 'give those classes distinct colours in the dataset sheet, or remap the label-id masks instead',
  },
  'apply-colour-no-sheet': {
    message: (a) => `a colour-coded mask, but the colours of the ${q(a.dataset)} dataset sheet are not at hand`,
    fix: () => 'run with the sheets folder that holds the dataset sheet the bundle names (--sheets), or remap the label-id masks',
  },
  'apply-coco-category-unknown': {
    message: (a) => `category_id ${s(a.value)} is no class of the ${q(a.dataset)} dataset sheet`,
    fix: () => 'check that the file belongs to this dataset (--dataset), or add the class to the dataset sheet and its mapping',
  },
  'apply-coco-not-coco': {
    message: (a) => `not a COCO instances or panoptic file: ${s(a.found)}`,
    fix: () => 'pass a COCO annotation file with annotations and categories arrays (instances_*.json, panoptic_*.json)',
  },
  'apply-class-unknown': {
    message: (a) => `class ${q(a.name)} is no class of the ${q(a.dataset)} dataset sheet`,
    fix: () => 'check that the file belongs to this dataset (--dataset), or add the class to the dataset sheet and its mapping',
  },
  'apply-xml-invalid': {
    message: (a) => `not a VOC annotation XML: ${s(a.reason)}`,
    fix: () => 'the file is damaged or not a VOC annotation: every <object> needs a <name> and a closing </object>',
  },
  'apply-yolo-line': {
    message: (a) => `not a YOLO label line: ${q(a.text)}`,
    fix: () => 'each line is a class index and at least 4 numbers (x y w h, or polygon points); narrow the folder with --match to the label files',
  },
  'apply-yolo-index-unknown': {
    message: (a) => `class index ${s(a.index)}, but the ${q(a.dataset)} dataset sheet has ${s(a.classes)} classes (indexes 0..${Number(a.classes) - 1})`,
    fix: () => 'check that the labels belong to this dataset (--dataset): YOLO indexes follow the dataset sheet\'s classes in id order',
  },
  'apply-polygon-json-invalid': {
    message: (a) => `not a LabelMe or Cityscapes polygon file: ${s(a.reason)}`,
  },
  'apply-file-unreadable': {
    message: (a) => `cannot read the file: ${s(a.reason)}`,
  },
  'apply-internal': {
    message: (a) => `could not remap the file: ${s(a.reason)}`,
    fix: () => 'run it again with --jobs 1 and LABELMAP_DEBUG=1, and report the file',
  },
  'apply-input-unrecognised': {
    message: (a) => `no input kind recognises this file (${s(a.reasons)})`,
    fix: () => 'pass a label mask PNG, a COCO JSON, a VOC XML, a YOLO txt or a LabelMe/Cityscapes polygon JSON, or a folder of them',
  },
  'apply-files-skipped': {
    message: (a) => `skipped ${s(a.count)} file${a.count === 1 ? '' : 's'} that no input kind recognises, e.g. ${s(a.first)} (${s(a.reasons)}); the manifest lists them`,
    fix: () => 'narrow the folder with --match to the files to remap',
  },
  'apply-dataset-unknown': {
    message: (a) => `the bundle has no dataset ${q(a.dataset)} (it has: ${s(a.known)})`,
    fix: () => 'pass --dataset with one of these names',
  },
  'apply-other-bundle': {
    message: (a) => `${s(a.out)} holds outputs of another label set (bundle ${s(a.found)}..., this run: ${s(a.expected)}...)`,
    fix: () => 'pass --force to rewrite every output with this label set, or another --out',
  },
  'apply-other-encoding': {
    message: (a) => `${s(a.out)} holds outputs of masks read as ${s(a.found)}; this run reads them as ${s(a.expected)}`,
    fix: () => 'pass --force to rewrite every output in this encoding, or another --out',
  },
  'apply-manifest-json': {
    message: (a) => `the apply manifest is not valid JSON: ${s(a.reason)}`,
    fix: () => 'remove it and run again (every output is then rewritten), or pass --force',
  },
  // --- robustness: bounded reads of hostile input (src/sheets/io.ts, src/json.ts) -----------------
  'file-too-large': {
    message: (a) => `${s(a.what) || 'file'} is ${mib(a.size)}: more than the ${mib(a.max)} labelmap reads from a ${s(a.what) || 'file'}`,
    fix: () => 'check that this is the right file (label metadata, sheets, bundles and lock files are far smaller)',
  },
  'file-encoding': {
    message: (a) => `${s(a.what) || 'file'} is not valid UTF-8 (byte 0x${s(a.byte)} at offset ${s(a.offset)})`,
    fix: () => 'save it as UTF-8 (e.g. `iconv -f WINDOWS-1252 -t UTF-8 old > new` for a file from Windows)',
  },
  'extract-raced': {
    message: (a) => `another run wrote ${s(a.file)} while this one was extracting: nothing was written (a written version is never replaced)`,
    fix: () => 'run the extract again: it compares with that version and writes the next one if the classes differ',
  },
  'json-not-strict': {
    message: (a) => `${s(a.reason)} (at byte ${s(a.offset)})`,
    fix: () => 'fix the JSON at that place: labelmap reads only JSON that every reader reads the same way',
  },
} satisfies Record<string, Wording>;

/** Every finding code: the keys of MESSAGES, so a code without wording does not compile. */
export type Code = keyof typeof MESSAGES;

export function isCode(text: string): text is Code {
  return Object.hasOwn(MESSAGES, text);
}

export function finding(code: Code, severity: Severity, place: Place, args: Args = {}): Finding {
  return { code, severity, ...stripUndefined(place), args };
}

function stripUndefined(place: Place): Place {
  const out: Place = {};
  for (const [k, v] of Object.entries(place)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/**
 * The arguments as the wording gets them: every string (and every item of a list) cut by cutLong,
 * so that no input is echoed at length (a 100,000-character ref shows its first 300 characters
 * and its length). `--format json` keeps the raw values in `args`.
 */
function cutArgs(args: Args): Args {
  const out: Args = {};
  for (const [k, v] of Object.entries(args)) out[k] = typeof v === 'string' ? cutLong(v) : Array.isArray(v) ? v.map((x: string) => cutLong(x)) : v;
  return out;
}

/**
 * The wording of a finding. Its text passes printableKeepingNewlines: no control character from
 * data (an ESC, a CR, a line break that forges a line in a CI log) reaches a terminal; a quoted
 * value already shows them JSON-escaped (`"a\u001b]0;x"`), an unquoted one as `\x1b`.
 */
export function messageOf(f: Finding): string {
  const w: Wording = MESSAGES[f.code];
  return printableKeepingNewlines(w.message(cutArgs(f.args)));
}

export function fixOf(f: Finding): string {
  const w: Wording = MESSAGES[f.code];
  return printableKeepingNewlines((w.fix?.(cutArgs(f.args)) ?? '').trim());
}

/** `file:line:column` (or `file@offset N`, or just `file`). */
export function placeOf(f: Place): string {
  if (!f.file) return '';
  let p = shownText(f.file);
  if (f.line !== undefined) {
    p += `:${f.line}`;
    if (f.column !== undefined) p += `:${f.column}`;
  } else if (f.offset !== undefined) {
    p += ` (byte ${f.offset})`;
  }
  if (f.path) p += ` ${shownText(f.path)}`;
  return p;
}

/** How formatFinding colours `severity code` (identity functions for plain text). */
export interface FindingStyle {
  red: (text: string) => string;
  yellow: (text: string) => string;
}

const PLAIN: FindingStyle = { red: String, yellow: String };

/**
 * The one text form of a finding: `place: severity code: message` and an indented fix; with a
 * style, ` severity code:` is red for an error and yellow for a warning.
 */
export function formatFinding(f: Finding, style: FindingStyle = PLAIN): string {
  const place = placeOf(f);
  const colour = f.severity === 'error' ? style.red : style.yellow;
  const head = `${place ? `${place}:` : ''}${place ? colour(` ${f.severity} ${f.code}:`) : colour(`${f.severity} ${f.code}:`)} ${messageOf(f)}`;
  const fix = fixOf(f);
  return fix ? `${head}\n  fix: ${fix}` : head;
}

/** The stable JSON form of a finding (documented in the README): every field, null when absent. */
export function findingToJson(f: Finding): Record<string, unknown> {
  return {
    code: f.code,
    severity: f.severity,
    file: f.file ?? null,
    line: f.line ?? null,
    column: f.column ?? null,
    offset: f.offset ?? null,
    path: f.path ?? null,
    message: messageOf(f),
    fix: fixOf(f) || null,
    args: f.args,
  };
}

/** The one order of findings: by file (findings without a file first), line (a finding about the whole file after its lines), column, code. */
export function sortFindings<F extends Finding>(findings: F[]): F[] {
  const line = (n: number | undefined) => n ?? Number.POSITIVE_INFINITY;
  const text = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return findings.sort(
    (a, b) =>
      text(a.file ?? '', b.file ?? '') ||
      (line(a.line) === line(b.line) ? 0 : line(a.line) < line(b.line) ? -1 : 1) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      text(a.code, b.code),
  );
}

/**
 * An error the run cannot go on after: it carries one finding and maps to exit code 2.
 * Thrown by readers and commands; caught in one place (cli/main.ts).
 */
const LABELMAP_ERROR = Symbol.for('labelmap.LabelmapError');

export class LabelmapError extends Error {
  readonly finding: Finding;
  /** The mark `instanceof LabelmapError` looks for (see Symbol.hasInstance below). */
  readonly [LABELMAP_ERROR] = true;
  constructor(code: Code, place: Place, args: Args = {}) {
    const f = finding(code, 'error', place, args);
    super(formatFinding(f));
    this.name = 'LabelmapError';
    this.finding = f;
  }

  /**
   * A LabelmapError of any copy of this module counts: the CLI runs from its bundle
   * (dist/bin/program.cjs), while a format plugin throws the one of the package's library
   * (`import { LabelmapError } from 'labelmap'`, docs/formats.md), or of another installed
   * version. Subclasses check their prototype chain as usual.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== LabelmapError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [LABELMAP_ERROR]?: unknown })[LABELMAP_ERROR] === true;
  }
}

/**
 * Sheets that do not pass the rules: the first error is the error (exit 2, its text the message),
 * and `findings` holds every finding of the run, warnings included (the library's openSheets).
 */
export class FindingsError extends LabelmapError {
  readonly findings: readonly Finding[];
  constructor(findings: readonly Finding[]) {
    const first = findings.find((f) => f.severity === 'error');
    if (!first) throw new Error('FindingsError: no error among the findings');
    const { code, severity: _s, args, ...place } = first;
    super(code, place, args);
    this.findings = findings;
  }
}

export const EXIT = { ok: 0, findings: 1, error: 2 } as const;
