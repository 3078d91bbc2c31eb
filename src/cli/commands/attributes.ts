// `labelmap attributes <input> --dataset <name>`: the per-image attribute table (CSV or JSONL) on
// stdout or in --out, and counts per value on stderr (or as JSON on stdout with --json).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runAttributes, type AttributeInputFormat } from '../../attributes/index.js';
import { EXIT, LabelmapError } from '../../findings.js';
import { refuseOutputFile, writeFileAtomic } from '../../io/index.js';
import { quoteCsvCell } from '../../sheets/csv.js';
import type { Context } from '../context.js';
import { resolveOutFile } from '../out-file.js';


export async function run(args: (string | string[] | undefined)[], opts: Record<string, unknown>, ctx: Context): Promise<number> {
  const input = path.resolve(ctx.cwd, String(args[0]));
  if (typeof opts.dataset !== 'string') throw new LabelmapError('attribute-dataset-missing', {}, {});
  // commander checks --format and --input-format against their choices (exit 2).
  const format = String(opts.format ?? 'csv');
  let imageHeight: number | undefined;
  if (opts.imageHeight !== undefined) {
    imageHeight = Number(opts.imageHeight);
    if (!Number.isSafeInteger(imageHeight) || imageHeight <= 0) throw new LabelmapError('option-not-positive-integer', {}, { flag: '--image-height', value: String(opts.imageHeight) });
  }
  if (!existsSync(input)) throw new LabelmapError('file-not-found', { file: input }, { what: 'input', fix: 'pass a BDD100K label JSON, a COCO JSON, a Cityscapes or Mapillary polygon folder, or an image,key,value CSV' });
  const out = typeof opts.out === 'string' ? resolveOutFile(opts.out, ctx) : undefined;
  if (out) {
    // The write guard (src/io/guard.ts): not in the sheets folder (also by a link), not over a link.
    const sheets = ctx.sheetsLocation().dir;
    refuseOutputFile(out, sheets, String(opts.out), path.relative(ctx.cwd, sheets) || '.');
  }
  if (out && existsSync(out)) throw new LabelmapError('output-not-ours', { file: out }, { file: out, what: 'new file', fix: 'pass another --out, or remove the file yourself' });

  const chunks: string[] = [];
  let header = false;
  const toTable = out !== undefined || !ctx.json;
  const result = await runAttributes(input, {
    sheets: ctx.sheetsForRead().dir,
    dataset: opts.dataset,
    inputFormat: typeof opts.inputFormat === 'string' ? (opts.inputFormat as AttributeInputFormat) : undefined,
    imageHeight,
    onRow: toTable
      ? (image, values) => {
          if (format === 'jsonl') {
            chunks.push(`${JSON.stringify({ image, ...values })}\n`);
            return;
          }
          if (!header) {
            chunks.push(`${['image', ...Object.keys(values)].join(',')}\n`);
            header = true;
          }
          chunks.push(`${[image, ...Object.values(values)].map(quoteCsvCell).join(',')}\n`);
        }
      : undefined,
  });
  for (const f of result.findings) ctx.report(f);
  if (out) writeFileAtomic(out, chunks.join(''), { overwrite: false, durable: false });
  else if (toTable) ctx.print(chunks.join('').replace(/\n$/, ''));

  const counts = Object.fromEntries(result.keys.map((k) => [k, Object.fromEntries([...(result.counts.get(k) ?? new Map())].sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : 1)).map(([v, n]) => [v === '' ? '(missing)' : v, n]))]));
  if (ctx.json) {
    ctx.print(JSON.stringify({ format: 'labelmap-attributes', format_version: 1, input: result.format, images: result.images, vocabulary: result.vocabulary, mapping: result.mapping, classMapping: result.classMapping, rules: result.rules, counts }, null, 2));
  } else {
    const by = result.mapping ? `attributes by ${result.mapping} into ${result.vocabulary}` : `derived attributes only (a ${result.format} input has no dataset attributes) into ${result.vocabulary}`;
    ctx.info(`${result.images} images, ${by}${result.classMapping && result.format !== 'generic' ? `, classes by ${result.classMapping}` : ''}${result.rules.length ? `, derived by ${result.rules.join(', ')}` : ''}${out ? `: wrote ${path.relative(ctx.cwd, out) || out}` : ''}`);
    for (const [key, values] of Object.entries(counts)) ctx.info(`  ${key}: ${Object.entries(values).map(([v, n]) => `${v} ${n}`).join(', ')}`);
  }
  return result.findings.length ? EXIT.findings : EXIT.ok;
}
