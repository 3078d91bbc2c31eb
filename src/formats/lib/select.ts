// Choosing a format: by its id, or `auto` (every registered format is asked whether it recognises
// the input; exactly one must). The rejections are data, so `extract auto` can show them all.
import { LabelmapError } from '../../findings.js';
import { FORMAT_IDS, loadFormat, loadFormats } from '../registry.js';
import type { Detection, Extractor } from '../types.js';

export interface Detections {
  format: Extractor;
  detection: Detection;
}

export async function detectAll(input: string, given?: readonly Extractor[]): Promise<Detections[]> {
  const formats = given ?? (await loadFormats());
  return Promise.all(
    formats.map(async (format) => {
      try {
        return { format, detection: await format.detect(input) };
      } catch (error) {
        const reason = error instanceof LabelmapError ? error.message : String((error as Error)?.message ?? error);
        return { format, detection: { ok: false, reason } };
      }
    }),
  );
}

/** One line per format (a list: a finding's wording cuts each string argument, not the lines of one). */
function listing(results: readonly Detections[]): string[] {
  return results.map((r) => `${r.format.id}: ${r.detection.ok ? 'yes' : 'no'}, ${r.detection.reason}`);
}

/**
 * The extractor for `<format|auto>`; a LabelmapError naming every format's answer when auto cannot
 * choose. Without `formats`, only the named format's module is loaded (all of them for auto).
 */
export async function selectFormat(word: string, input: string, formats?: readonly Extractor[]): Promise<{ format: Extractor; reason?: string }> {
  if (word !== 'auto') {
    const format = formats ? formats.find((f) => f.id === word) : await loadFormat(word);
    if (!format) {
      throw new LabelmapError('format-unknown', {}, { format: word, known: formats?.map((f) => f.id) ?? [...FORMAT_IDS] });
    }
    return { format };
  }
  const results = await detectAll(input, formats);
  const yes = results.filter((r) => r.detection.ok);
  if (yes.length === 1) return { format: yes[0]!.format, reason: yes[0]!.detection.reason };
  const hint = yes.length === 0 ? results.find((r) => r.detection.hint)?.detection.hint : undefined;
  throw new LabelmapError('format-undetected', { file: input }, {
    count: yes.length,
    input,
    formats: yes.map((r) => r.format.id).join(', '),
    details: listing(results),
    ...(hint ? { hint_format: hint.format, hint_input: hint.input, hint_why: hint.why } : {}),
  });
}
