// The apply runner: walk the input in a stable order, take this shard's slice, skip outputs a
// previous run of the same bundle completed, remap the rest on worker threads, write the manifest.
//
// Order: every file under the input, by relative path ('/'-separated, compared by UTF-16 code
// units); shard K of N (K = 0..N-1) takes the files whose position i has i % N === K. So N shards
// together write exactly the files (and the bytes) that one run writes.
import { closeSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { LabelmapError, type Code, type Finding, finding, messageOf } from '../findings.js';
import { encodingOf } from '../api/lut.js';
import { parseJson } from '../json.js';
import { openOutputFolder, readBytes, refuseLinkedFolders, writeFileAtomic } from '../io/index.js';
import { sha256 } from '../sheets/io.js';
import { formatBundleJson } from '../taxonomy/outputs.js';
import type { Bundle, DatasetOutput } from '../taxonomy/types.js';
import { buildCocoTables, remapCoco, type CocoTables } from './coco.js';
import { detectCocoJson, detectKind, detectPolygonJson, type InputKindId } from './kinds.js';
import { buildTextTables } from './text-kinds.js';
import { buildMaskTables, type NativeColours } from './mask.js';
import { createPool } from './pool.js';
import { outputExists, processFile, type FileJob, type FileResult, type WorkerTables } from './process.js';

export const MANIFEST_FORMAT_VERSION = 1;
/** How often a running apply rewrites its manifest (what a killed run resumes from). */
const CHECKPOINT_MS = 2000;

export interface ApplyOptions {
  /** A file or folder, absolute. */
  input: string;
  /** How the input is shown in findings and the manifest (as the user typed it). */
  inputShown: string;
  /** Output folder, absolute; null with `stats`. */
  out: string | null;
  /** How the output folder is shown in messages (as the user typed it). */
  outShown?: string;
  /** The sheets folder (absolute) and how it is shown: no output lands inside it. */
  sheets?: { dir: string; shown: string };
  bundle: Bundle;
  dataset: string;
  /** The dataset sheet's class colours, for colour-coded masks (none: such masks fail). */
  nativeColours?: NativeColours | null;
  jobs: number;
  shard?: { index: number; count: number };
  /** Only files whose name matches (a glob with `*` and `?`, on the file name). */
  match?: string;
  force?: boolean;
  stats?: boolean;
  failFast?: boolean;
  /** COCO: keep annotations of ignored classes (category_id 0, "ignore": 1) instead of dropping them. */
  keepIgnored?: boolean;
  /** Mask PNGs hold this encoding of the dataset (bundle `encodings`: train_id, mask_value), not native ids. */
  encoding?: string | null;
  /** Bytes done of total, after each file. */
  onProgress?: (done: number, total: number) => void;
}

interface InputFile {
  rel: string;
  abs: string;
  size: number;
}

/** What the manifest keeps per written file, so that a resumed run can count what it skips. */
export interface FileRecord {
  file: string;
  output: string | null;
  kind: InputKindId;
  width: number;
  height: number;
  /** [native value, pixels], by value (masks; empty for annotation files). */
  pixels: [number, number][];
  /** [native category id, annotations (panoptic: segments)], by id (annotation files only). */
  instances?: [number, number][];
  /** Annotations (segments) of ignored classes left out (annotation files only). */
  dropped?: number;
}

export interface ApplyManifest {
  format: 'labelmap-apply';
  format_version: number;
  /** False in the checkpoints a running apply writes; true once the run (or shard) has finished. */
  complete: boolean;
  input: string;
  dataset: { name: string; version: string };
  bundle: {
    vertical: string | null;
    format_version: number;
    coarse: string;
    id_bits: number;
    ignore_id: number;
    sha256: string;
    inputs: { kind: string; name: string; version: string; sha256: string }[];
  };
  /** The mask encoding the input PNGs were read in (`--encoding`), or null: native ids. */
  encoding: string | null;
  shard: { index: number; count: number } | null;
  match: string | null;
  files: { total: number; written: number; skipped: number; counted: number; failed: number; not_recognised: number };
  /** Pixels per output label (train-id order), per label set (by id), then the ignore id. */
  labels: { train_id: number; name: string; pixels: number; instances: number }[];
  label_sets: { id: number; name: string; kind: string; pixels: number; instances: number }[];
  ignore: { train_id: number; pixels: number; instances: number };
  /** Annotations (panoptic: segments) of ignored classes that annotation files left out. */
  instances_dropped: number;
  /** Pixels per native class and where they went (a label, a set, ignore) and why; every class that occurs. */
  native: { id: number; name: string; kind: 'label' | 'set' | 'ignore'; train_id: number; label: string | null; set: string | null; reason: string; pixels: number; instances: number }[];
  failed: { file: string; code: Code; message: string; offset: number | null; args: Record<string, string | number> }[];
  not_recognised: { file: string; reasons: string[] }[];
  outputs: FileRecord[];
}

export interface ApplyResult {
  manifest: ApplyManifest;
  /** One finding per failed file (error) and per file no kind recognised in a folder (warning). */
  findings: Finding[];
  manifestFile: string | null;
  /** apply.json, when this shard was the last of its N to finish and combined their manifests. */
  combinedFile: string | null;
  stopped: boolean;
}

export function manifestName(shard: { index: number; count: number } | undefined): string {
  return shard ? `apply.shard-${shard.index}-of-${shard.count}.json` : 'apply.json';
}

/** sha256 of the bundle as merge writes it: what the manifest names and resume compares. */
export function bundleChecksum(bundle: Bundle): string {
  return sha256(formatBundleJson(bundle));
}

/** Whether a manifest's bundle checksum names the bundle of this run. */
type NamesThisBundle = (found: unknown) => boolean;

/**
 * A manifest names this bundle by its checksum as merge writes it now (`checksum`), or as labelmap
 * wrote it before the one-record-per-line layout (the whole bundle indented by two spaces, worked
 * out on the first mismatch only). The value is the same; only the bytes differ, so an apply
 * started before an upgrade resumes after it (and its next manifest names the new checksum).
 */
function bundleNamer(bundle: Bundle, checksum: string): NamesThisBundle {
  let indented: string | undefined;
  return (found) => {
    if (found === checksum) return true;
    if (typeof found !== 'string') return false;
    indented ??= sha256(`${JSON.stringify(bundle, null, 2)}\n`);
    return found === indented;
  };
}

export async function applyMasks(options: ApplyOptions): Promise<ApplyResult> {
  const dataset = findDataset(options.bundle, options.dataset);
  const tables = buildMaskTables(options.bundle, dataset, options.nativeColours ?? null, options.encoding ?? null);
  const cocoTables = buildCocoTables(options.bundle, dataset);
  const textTables = buildTextTables(options.bundle, dataset);
  const checksum = bundleChecksum(options.bundle);
  const { files, single } = listInput(options.input, options.inputShown, options.out, options.match);
  const outShown = options.outShown ?? options.out ?? '';
  // The write guard (src/io/guard.ts): a folder labelmap made (or an earlier apply's), never in the sheets folder.
  if (options.out && !options.stats) {
    openOutputFolder(options.out, {
      sheetsDir: options.sheets?.dir,
      sheetsShown: options.sheets?.shown,
      shown: outShown,
      writtenBy: 'apply',
      recognise: (_dir, names) => names.some((n) => n === 'apply.json' || /^apply\.shard-\d+-of-\d+\.json$/.test(n)),
    });
  }
  const linkChecked = new Set<string>();
  const mine = options.shard ? files.filter((_, i) => i % options.shard!.count === options.shard!.index) : files;

  const manifestFile = options.out && !options.stats ? path.join(options.out, manifestName(options.shard)) : null;
  const namesThisBundle = bundleNamer(options.bundle, checksum);
  const previous = manifestFile && !options.force ? readPrevious(manifestFile, checksum, namesThisBundle, options.out!, options.encoding ?? null) : new Map<string, FileRecord>();

  const records = new Map<string, FileRecord>();
  const failures: { rel: string; result: Extract<FileResult, { ok: false }> }[] = [];
  const notRecognised: { rel: string; reasons: string[] }[] = [];
  const jobs: { job: FileJob; input: InputFile; kind: InputKindId }[] = [];
  let skipped = 0;
  for (const f of mine) {
    const head = readFileHead(f.abs);
    const detected: { kind: { id: InputKindId } | null; reasons: { kind: InputKindId; reason: string }[] } = detectKind(f.abs, head);
    if (!detected.kind && /\.json$/i.test(f.abs)) {
      const coco = await detectCocoJson(f.abs);
      if (coco.ok) detected.kind = { id: 'coco-json' };
      else {
        detected.reasons.push({ kind: 'coco-json', reason: coco.reason });
        const polygons = detectPolygonJson(f.abs, f.size);
        if (polygons.ok) detected.kind = { id: 'polygon-json' };
        else detected.reasons.push({ kind: 'polygon-json', reason: polygons.reason });
      }
    }
    if (!detected.kind) {
      if (single) {
        throw new LabelmapError('apply-input-unrecognised', { file: options.inputShown }, { reasons: detected.reasons.map((r) => `${r.kind}: ${r.reason}`).join('; ') });
      }
      notRecognised.push({ rel: f.rel, reasons: detected.reasons.map((r) => `${r.kind}: ${r.reason}`) });
      continue;
    }
    const out = options.stats || !options.out ? null : path.join(options.out, ...f.rel.split('/'));
    // A folder of the mirrored tree that is a link (out/aachen -> elsewhere) is never written through.
    if (out) refuseLinkedFolders(options.out!, f.rel, outShown, linkChecked);
    const before = previous.get(f.rel);
    if (out && before && outputExists(out)) {
      records.set(f.rel, before);
      skipped++;
      continue;
    }
    jobs.push({ job: { index: jobs.length, file: f.abs, out, kind: detected.kind.id }, input: f, kind: detected.kind.id });
  }

  const total = jobs.reduce((n, j) => n + j.input.size, 0);
  let done = 0;
  let stopped = false;
  let lastCheckpoint = Date.now();
  const build = (complete = false): ApplyManifest =>
    buildManifest(options, dataset, checksum, files.length, records, failures, notRecognised, skipped, complete);
  const onResult = (entry: { job: FileJob; input: InputFile; kind: InputKindId }, result: FileResult): void => {
    done += entry.input.size;
    if (result.ok) {
      records.set(entry.input.rel, {
        file: entry.input.rel,
        output: entry.job.out ? path.relative(options.out!, entry.job.out).split(path.sep).join('/') : null,
        kind: entry.kind,
        width: result.width,
        height: result.height,
        pixels: result.pixels,
        ...(result.instances ? { instances: result.instances, dropped: result.dropped ?? 0 } : {}),
      });
    } else {
      failures.push({ rel: entry.input.rel, result });
      // No stale output beside a failure (an earlier run's, rewritten with --force or redone).
      if (entry.job.out) rmSync(entry.job.out, { force: true });
      if (options.failFast) stopped = true;
    }
    options.onProgress?.(done, total);
    // A checkpoint of the manifest now and then: a killed run resumes from it.
    if (manifestFile && Date.now() - lastCheckpoint > CHECKPOINT_MS) {
      writeManifest(manifestFile, build());
      lastCheckpoint = Date.now();
    }
  };

  // COCO files (one large JSON each, streamed) run on the main thread; masks and the small
  // annotation files (VOC XML, YOLO txt, polygon JSON) on the pool, one file per job.
  const poolJobs = jobs.filter((j) => j.kind !== 'coco-json');
  for (const entry of jobs) {
    if (stopped) break;
    if (entry.kind === 'coco-json') onResult(entry, await processCocoFile(entry.job, cocoTables, options.keepIgnored ?? false));
  }
  const workerTables: WorkerTables = { mask: tables, text: textTables };
  const workers = Math.max(1, Math.min(options.jobs, poolJobs.length));
  if (stopped) {
    // --fail-fast: an annotation file failed
  } else if (workers <= 1) {
    for (const entry of poolJobs) {
      if (stopped) break;
      onResult(entry, processFile(entry.job, workerTables));
    }
  } else {
    await runOnPool(workers, workerTables, poolJobs, onResult, () => stopped);
  }

  const manifest = build(true);
  if (manifestFile) writeManifest(manifestFile, manifest);
  // The last shard to finish combines the shards' manifests into the one a single run writes.
  const combinedFile = manifestFile && options.shard && !stopped ? combineShards(options, dataset, checksum, namesThisBundle, files.length) : null;
  const findings: Finding[] = [
    ...manifest.failed.map((f) => finding(f.code, 'error', { file: path.join(options.inputShown, single ? '' : f.file), ...(f.offset !== null ? { offset: f.offset } : {}), ...(typeof f.args.path === 'string' ? { path: f.args.path } : {}), ...(typeof f.args.line === 'number' ? { line: f.args.line } : {}) }, f.args)),
  ];
  // Files no kind recognises (polygon JSON, colour PNGs beside the label PNGs): one warning, not one each.
  const first = manifest.not_recognised[0];
  if (first) {
    findings.push(finding('apply-files-skipped', 'warning', { file: options.inputShown }, { count: manifest.not_recognised.length, first: first.file, reasons: first.reasons.join('; ') }));
  }
  return { manifest, findings, manifestFile, combinedFile, stopped };
}

async function runOnPool(
  size: number,
  tables: WorkerTables,
  jobs: { job: FileJob; input: InputFile; kind: InputKindId }[],
  onResult: (entry: { job: FileJob; input: InputFile; kind: InputKindId }, result: FileResult) => void,
  stopped: () => boolean,
): Promise<void> {
  const pool = createPool(size, tables);
  try {
    let next = 0;
    // Keep each worker fed (two jobs in flight per worker), never the whole list at once: memory
    // stays flat in the number of files.
    const lane = async (): Promise<void> => {
      while (next < jobs.length && !stopped()) {
        const entry = jobs[next++]!;
        onResult(entry, await pool.run(entry.job));
      }
    };
    await Promise.all(Array.from({ length: size * 2 }, lane));
  } finally {
    await pool.close();
  }
}

/** One COCO file on the main thread, as a FileResult (a LabelmapError becomes a located failure). */
async function processCocoFile(job: FileJob, tables: CocoTables, keepIgnored: boolean): Promise<FileResult> {
  try {
    const r = await remapCoco(job.file, job.out, tables, { keepIgnored });
    return { index: job.index, ok: true, pixels: [], instances: r.instances, dropped: r.dropped, width: 0, height: 0, bytes: statSync(job.file).size };
  } catch (error) {
    if (error instanceof LabelmapError) {
      const { code, args, offset, path: at, line } = error.finding;
      const shown: Record<string, string | number> = {};
      for (const [k, v] of Object.entries(args)) if (v !== undefined) shown[k] = typeof v === 'number' || typeof v === 'string' ? v : Array.isArray(v) ? v.join(', ') : String(v);
      if (at) shown.path = at;
      if (line !== undefined) shown.line = line;
      return { index: job.index, ok: false, code, args: shown, ...(offset !== undefined ? { offset } : {}) };
    }
    return { index: job.index, ok: false, code: 'apply-internal', args: { reason: error instanceof Error ? error.message : String(error) } };
  }
}

function findDataset(bundle: Bundle, name: string): DatasetOutput {
  const bare = name.replace(/^mappings\/|^datasets\//, '').replace(/@.*$/, '');
  const dataset = bundle.datasets.find((d) => d.name === bare);
  if (!dataset) {
    throw new LabelmapError('apply-dataset-unknown', {}, { dataset: name, known: bundle.datasets.map((d) => d.name).join(', ') || '(none)' });
  }
  return dataset;
}

function readFileHead(file: string): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Files under the input in the stable order; the output folder (if inside) and temp files left out. */
function listInput(input: string, shown: string, out: string | null, match: string | undefined): { files: InputFile[]; single: boolean } {
  let stats;
  try {
    stats = statSync(input);
  } catch {
    throw new LabelmapError('file-not-found', { file: shown }, { what: 'input', fix: 'pass a mask file or a folder of masks' });
  }
  if (stats.isFile()) return { files: [{ rel: path.basename(input), abs: input, size: stats.size }], single: true };
  if (!stats.isDirectory()) throw new LabelmapError('apply-input-unrecognised', { file: shown }, { reasons: 'neither a file nor a folder' });
  const pattern = match ? globToRegExp(match) : null;
  const files: InputFile[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.name.startsWith('.')) continue; // hidden files and writeFileAtomic's temporaries
      if (entry.isDirectory()) {
        if (out !== null && path.resolve(abs) === path.resolve(out)) continue;
        walk(abs, r);
      } else if (entry.isFile() || (entry.isSymbolicLink() && isFile(abs))) {
        if (pattern && !pattern.test(entry.name)) continue;
        files.push({ rel: r, abs, size: statSync(abs).size });
      }
    }
  };
  walk(input, '');
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { files, single: false };
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `*_labelIds.png` -> /^[^/]*_labelIds\.png$/. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** The records of an earlier run into the same folder with the same bundle (else none: all is redone). */
function readPrevious(file: string, checksum: string, namesThisBundle: NamesThisBundle, out: string, encoding: string | null): Map<string, FileRecord> {
  const records = new Map<string, FileRecord>();
  let text: string;
  try {
    text = readBytes(file, 'apply manifest').toString('utf8');
  } catch {
    return records;
  }
  const manifest = parseJson(text, file, 'apply-manifest-json') as Partial<ApplyManifest>;
  if (manifest.format !== 'labelmap-apply' || !Array.isArray(manifest.outputs)) return records;
  if (!namesThisBundle(manifest.bundle?.sha256)) {
    throw new LabelmapError('apply-other-bundle', { file }, { out, found: String(manifest.bundle?.sha256 ?? 'none').slice(0, 12), expected: checksum.slice(0, 12) });
  }
  // Masks read in another encoding give other outputs from the same bundle.
  if ((manifest.encoding ?? null) !== encoding) {
    throw new LabelmapError('apply-other-encoding', { file }, { out, found: manifest.encoding ?? 'native ids', expected: encoding ?? 'native ids' });
  }
  for (const r of manifest.outputs) records.set(r.file, r);
  return records;
}

/**
 * When all N shard manifests in the output folder are complete and of this bundle, writes
 * apply.json: the manifest one run over all files writes (outputs, failures and counts of every
 * shard). Shards finishing at once both write the same bytes (atomic renames). Returns its path,
 * or null while a shard is missing or still running.
 */
function combineShards(options: ApplyOptions, dataset: DatasetOutput, checksum: string, namesThisBundle: NamesThisBundle, total: number): string | null {
  const count = options.shard!.count;
  const records = new Map<string, FileRecord>();
  const failures: { rel: string; result: Extract<FileResult, { ok: false }> }[] = [];
  const notRecognised: { rel: string; reasons: string[] }[] = [];
  let skipped = 0;
  for (let index = 0; index < count; index++) {
    let shard: ApplyManifest;
    try {
      shard = JSON.parse(readFileSync(path.join(options.out!, manifestName({ index, count })), 'utf8')) as ApplyManifest;
    } catch {
      return null; // not there yet (or being replaced)
    }
    if (!shard.complete || !namesThisBundle(shard.bundle?.sha256) || shard.match !== (options.match ?? null)) return null;
    for (const r of shard.outputs) records.set(r.file, r);
    for (const f of shard.failed) failures.push({ rel: f.file, result: { index: 0, ok: false, code: f.code, args: f.args, ...(f.offset !== null ? { offset: f.offset } : {}) } });
    for (const n of shard.not_recognised) notRecognised.push({ rel: n.file, reasons: n.reasons });
    skipped += shard.files.skipped;
  }
  const file = path.join(options.out!, manifestName(undefined));
  writeManifest(file, buildManifest({ ...options, shard: undefined }, dataset, checksum, total, records, failures, notRecognised, skipped, true));
  return file;
}

function writeManifest(file: string, manifest: ApplyManifest): void {
  writeFileAtomic(file, `${JSON.stringify(manifest, null, 2)}\n`, { overwrite: true, durable: false });
}

function buildManifest(
  options: ApplyOptions,
  dataset: DatasetOutput,
  checksum: string,
  total: number,
  records: Map<string, FileRecord>,
  failures: { rel: string; result: Extract<FileResult, { ok: false }> }[],
  notRecognised: { rel: string; reasons: string[] }[],
  skipped: number,
  complete: boolean,
): ApplyManifest {
  const { bundle } = options;
  const outputs = [...records.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const byValue = new Map<number, number>();
  const instancesByValue = new Map<number, number>();
  let dropped = 0;
  for (const r of outputs) {
    for (const [v, n] of r.pixels) byValue.set(v, (byValue.get(v) ?? 0) + n);
    for (const [v, n] of r.instances ?? []) instancesByValue.set(v, (instancesByValue.get(v) ?? 0) + n);
    dropped += r.dropped ?? 0;
  }
  const entryById = new Map(dataset.lut.map((e) => [e.id, e]));
  // With --encoding the masks hold encoded values: each names the native class it stands for (or none).
  const nativeOf = options.encoding ? new Map(encodingOf(dataset, options.encoding).values.map(([value, id]) => [value, id])) : null;
  const entryOf = (value: number) => {
    if (!nativeOf) return entryById.get(value);
    const id = nativeOf.get(value);
    return id === null || id === undefined ? undefined : entryById.get(id);
  };
  const byTrainId = new Map<number, number>();
  const instancesByTrainId = new Map<number, number>();
  const native: ApplyManifest['native'] = [];
  for (const value of [...new Set([...byValue.keys(), ...instancesByValue.keys()])].sort((a, b) => a - b)) {
    const e = entryOf(value);
    const trainId = e?.train_id ?? bundle.ignore_id;
    const pixels = byValue.get(value) ?? 0;
    const instances = instancesByValue.get(value) ?? 0;
    byTrainId.set(trainId, (byTrainId.get(trainId) ?? 0) + pixels);
    instancesByTrainId.set(trainId, (instancesByTrainId.get(trainId) ?? 0) + instances);
    native.push({ id: value, name: e?.name ?? '(no class: ignore)', kind: e?.kind ?? 'ignore', train_id: trainId, label: e?.label ?? null, set: e?.set ?? null, reason: e?.reason ?? 'ignored by mapping', pixels, instances });
  }
  const failed = failures
    .map(({ rel, result }) => ({ file: rel, code: result.code, offset: result.offset ?? null, args: result.args }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    .map((f) => ({ ...f, message: messageText(f.code, f.args) }));
  const written = options.stats ? 0 : outputs.length - skipped;
  return {
    format: 'labelmap-apply',
    format_version: MANIFEST_FORMAT_VERSION,
    complete,
    input: options.inputShown,
    encoding: options.encoding ?? null,
    dataset: { name: dataset.name, version: dataset.version },
    bundle: {
      vertical: bundle.vertical,
      format_version: bundle.format_version,
      coarse: bundle.coarse,
      id_bits: bundle.id_bits,
      ignore_id: bundle.ignore_id,
      sha256: checksum,
      inputs: bundle.inputs.map((i) => ({ kind: i.kind, name: i.name, version: i.version, sha256: i.sha256 })),
    },
    shard: options.shard ?? null,
    match: options.match ?? null,
    files: {
      total,
      written,
      skipped,
      counted: options.stats ? outputs.length : 0,
      failed: failed.length,
      not_recognised: notRecognised.length,
    },
    labels: bundle.labels.map((l) => ({ train_id: l.train_id, name: l.name, pixels: byTrainId.get(l.train_id) ?? 0, instances: instancesByTrainId.get(l.train_id) ?? 0 })),
    label_sets: bundle.label_sets.map((set) => ({ id: set.id, name: set.name, kind: set.kind, pixels: byTrainId.get(set.id) ?? 0, instances: instancesByTrainId.get(set.id) ?? 0 })),
    ignore: { train_id: bundle.ignore_id, pixels: byTrainId.get(bundle.ignore_id) ?? 0, instances: instancesByTrainId.get(bundle.ignore_id) ?? 0 },
    instances_dropped: dropped,
    native,
    failed,
    not_recognised: notRecognised.map((n) => ({ file: n.rel, reasons: n.reasons })).sort((a, b) => (a.file < b.file ? -1 : 1)),
    outputs: options.stats ? [] : outputs,
  };
}

/** The manifest carries each failure's message as text too, for readers without labelmap. */
function messageText(code: Code, args: Record<string, string | number>): string {
  return messageOf(finding(code, 'error', {}, args));
}
