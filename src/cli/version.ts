import { createRequire } from 'node:module';

/** The package version, from package.json (two folders up from dist/cli/ and src/cli/). */
export function version(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}
