// Checksums and random names, with node:crypto (about 25 internal modules) loaded on the first
// call: most commands neither hash a sheet nor write a file, and loading it cost every start-up.
import { createRequire } from 'node:module';

let crypto: typeof import('node:crypto') | undefined;
const loaded = (): typeof import('node:crypto') => (crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto'));

/** `bytes` random bytes as lower-case hex (`randomHex(4)` -> `9f3a0c71`). */
export function randomHex(bytes: number): string {
  return loaded().randomBytes(bytes).toString('hex');
}

/** The sha256 of `bytes` (a string as its UTF-8), as lower-case hex. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return loaded().createHash('sha256').update(bytes).digest('hex');
}
