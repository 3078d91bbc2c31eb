// A format's `detect` answers with a reason, never a throw: a read or parse error becomes "no"
// with the error's first line (file:line: code: message) as the reason.
import type { Detection } from '../types.js';

export function rejectedBy(error: unknown): Detection {
  return { ok: false, reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
}
