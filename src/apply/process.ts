// One file of an apply run: read, remap, write atomically. The same function runs in the main
// thread (--jobs 1) and in each worker thread.
import { existsSync, readFileSync } from 'node:fs';
import type { Code } from '../findings.js';
import { writeFileAtomic } from '../io/index.js';
import { MaskError, remapMask, type MaskTables } from './mask.js';

export interface FileJob {
  index: number;
  /** Absolute path of the input file. */
  file: string;
  /** Absolute path of the output file; null with --stats. */
  out: string | null;
}

export type FileResult =
  | { index: number; ok: true; pixels: [number, number][]; instances?: [number, number][]; dropped?: number; width: number; height: number; bytes: number }
  | { index: number; ok: false; code: Code; args: Record<string, string | number>; offset?: number };

export function processFile(job: FileJob, tables: MaskTables): FileResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(job.file);
  } catch (error) {
    return { index: job.index, ok: false, code: 'apply-file-unreadable', args: { reason: (error as NodeJS.ErrnoException).code ?? String(error) } };
  }
  try {
    const result = remapMask(bytes, tables, { stats: job.out === null });
    if (job.out !== null && result.png) writeFileAtomic(job.out, result.png, { overwrite: true, durable: false });
    return { index: job.index, ok: true, pixels: result.pixels, width: result.width, height: result.height, bytes: bytes.length };
  } catch (error) {
    if (error instanceof MaskError) return { index: job.index, ok: false, code: error.code, args: error.args, ...(error.offset !== undefined ? { offset: error.offset } : {}) };
    const code = (error as { finding?: { code: Code; args: Record<string, string | number> } }).finding;
    if (code) return { index: job.index, ok: false, code: code.code, args: code.args };
    return { index: job.index, ok: false, code: 'apply-internal', args: { reason: error instanceof Error ? error.message : String(error) } };
  }
}

/** An output counts as complete when it exists: every write is atomic (temp + rename). */
export function outputExists(out: string): boolean {
  return existsSync(out);
}
