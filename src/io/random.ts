// Random names for temporary files and lock tokens. node:crypto (about 25 internal modules) is
// loaded on the first call: most commands write nothing, and loading it cost every start-up.
import { createRequire } from 'node:module';

let randomBytes: typeof import('node:crypto').randomBytes | undefined;

/** `bytes` random bytes as lower-case hex (`randomHex(4)` -> `9f3a0c71`). */
export function randomHex(bytes: number): string {
  randomBytes ??= (createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')).randomBytes;
  return randomBytes(bytes).toString('hex');
}
