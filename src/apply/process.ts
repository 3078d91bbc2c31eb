// One file of an apply run: read, remap, write atomically. The same function runs in the main
// thread (--jobs 1) and in each worker thread: label and colour masks, and the small annotation
// files (VOC XML, YOLO txt, polygon JSON). COCO JSON files are streamed on the main thread.
import { existsSync, readFileSync } from 'node:fs';
import { LabelmapError, messageOf, type Code } from '../findings.js';
import { writeFileAtomic } from '../io/index.js';
import type { InputKindId } from './kinds.js';
import { MaskError, remapMask, type MaskTables } from './mask.js';
import { remapPolygons, remapVocXml, remapYolo, type TextResult, type TextTables } from './text-kinds.js';

export interface FileJob {
  index: number;
  /** Absolute path of the input file. */
  file: string;
  /** Absolute path of the output file; null with --stats. */
  out: string | null;
  /** What the file is (detected on the main thread). */
  kind: InputKindId;
}

/** What a worker gets once: the tables of every kind it remaps. */
export interface WorkerTables {
  mask: MaskTables;
  text: TextTables;
}

export type FileResult =
  | { index: number; ok: true; pixels: [number, number][]; instances?: [number, number][]; dropped?: number; width: number; height: number; bytes: number }
  | { index: number; ok: false; code: Code; args: Record<string, string | number>; offset?: number };

const TEXT_REMAPS: Partial<Record<InputKindId, (text: string, tables: TextTables) => TextResult>> = {
  'voc-xml': remapVocXml,
  'yolo-txt': remapYolo,
  'polygon-json': remapPolygons,
};

export function processFile(job: FileJob, tables: WorkerTables): FileResult {
  const text = TEXT_REMAPS[job.kind];
  return text ? processTextFile(job, text, tables.text) : processMask(job, tables.mask);
}

/** One VOC XML, YOLO txt or polygon JSON file (small files, read whole). */
function processTextFile(job: FileJob, remap: (text: string, tables: TextTables) => TextResult, tables: TextTables): FileResult {
  let text: string;
  try {
    text = readFileSync(job.file, 'utf8');
  } catch (error) {
    return unreadable(job, error);
  }
  try {
    const r = remap(text, tables);
    if (job.out !== null) writeFileAtomic(job.out, r.text, { overwrite: true, durable: false });
    return { index: job.index, ok: true, pixels: [], instances: r.instances, dropped: r.dropped, width: 0, height: 0, bytes: Buffer.byteLength(text) };
  } catch (error) {
    // A reader's finding (an XML or JSON error) is passed on as its message.
    if (error instanceof LabelmapError) return { index: job.index, ok: false, code: error.finding.code, args: { reason: messageOf(error.finding) } };
    return failed(job, error);
  }
}

function processMask(job: FileJob, tables: MaskTables): FileResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(job.file);
  } catch (error) {
    return unreadable(job, error);
  }
  try {
    const result = remapMask(bytes, tables, { stats: job.out === null });
    if (job.out !== null && result.png) writeFileAtomic(job.out, result.png, { overwrite: true, durable: false });
    return { index: job.index, ok: true, pixels: result.pixels, width: result.width, height: result.height, bytes: bytes.length };
  } catch (error) {
    const code = (error as { finding?: { code: Code; args: Record<string, string | number> } }).finding;
    if (code) return { index: job.index, ok: false, code: code.code, args: code.args };
    return failed(job, error);
  }
}

function unreadable(job: FileJob, error: unknown): FileResult {
  return { index: job.index, ok: false, code: 'apply-file-unreadable', args: { reason: (error as NodeJS.ErrnoException).code ?? String(error) } };
}

/** A mask error with its code, arguments and byte offset; anything else an internal failure of the file. */
function failed(job: FileJob, error: unknown): FileResult {
  if (error instanceof MaskError) return { index: job.index, ok: false, code: error.code, args: error.args, ...(error.offset !== undefined ? { offset: error.offset } : {}) };
  return { index: job.index, ok: false, code: 'apply-internal', args: { reason: error instanceof Error ? error.message : String(error) } };
}

/** An output counts as complete when it exists: every write is atomic (temp + rename). */
export function outputExists(out: string): boolean {
  return existsSync(out);
}
