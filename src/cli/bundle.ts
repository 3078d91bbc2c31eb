// Loading the program from the CLI's bundle with V8's code cache. `npm run build` bundles
// cli/program.ts and everything it loads into one classic script, dist/bin/program.cjs, runs
// `labelmap find` and `list` on the shipped sheets with it, and saves the bytecode V8 compiled
// for them as dist/bin/program.<node version>-<arch>.cache (scripts/bundle.mjs). Loading that
// bytecode instead of resolving, reading, parsing and compiling some 45 modules took about a fifth
// off `labelmap find` (BENCHMARKS.md, session 6); Node 20 has no compile cache for ES modules.
//
// V8 takes the cache only from the same Node and V8 flags it was made with. The cache is named by
// the Node version that made it; under another version (no cache of its own) the program is
// imported as modules, which is faster than compiling the whole bundle. Other V8 flags: V8 refuses
// the cache and compiles the script (`rejected`). Without the bundle (labelmap run from src/, as
// the tests do), or with one older than the last tsc build, the program is imported as modules.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type { runProgram as RunProgram } from './program.js';

export interface LoadedProgram {
  runProgram: typeof RunProgram;
  /**
   * How the program was loaded: from the bundle with its cache taken or rejected (other V8 flags),
   * or without one (`useCache: false`, the build's own run); or as modules: no cache made by this
   * Node version (`absent`), no bundle, or one older than the last compile (`stale`).
   */
  cache: 'accepted' | 'rejected' | 'uncached' | 'absent' | 'unbundled' | 'stale';
  /** Writes V8's bytecode of the bundle as it is now (what has run so far) to the cache file. */
  saveCache(): void;
}

/**
 * Whether there is a bundle, and one made after the last compile: tsc alone (`npx tsc -b`, an
 * editor's build) rewrites dist/ and its .tsbuildinfo but not the bundle, which would then run the
 * code from before. (A published package has no .tsbuildinfo: its bundle counts as made with it.)
 */
function bundleState(file: string, buildInfo: string): 'bundled' | 'unbundled' | 'stale' {
  let made: number;
  try {
    made = statSync(file).mtimeMs;
  } catch {
    return 'unbundled';
  }
  try {
    return statSync(buildInfo).mtimeMs > made ? 'stale' : 'bundled';
  } catch {
    return 'bundled';
  }
}

/** The bundle's folder, beside this module's: dist/bin for dist/cli/bundle.js. */
const BIN_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin');

export async function loadProgram(options: { binDir?: string; useCache?: boolean } = {}): Promise<LoadedProgram> {
  const binDir = options.binDir ?? BIN_DIR;
  const file = path.join(binDir, 'program.cjs');
  // One cache per Node version (V8 takes no other): `program.v20.20.2-x64.cache`.
  const cacheFile = path.join(binDir, `program.${process.version}-${process.arch}.cache`);
  const useCache = options.useCache !== false;
  let cachedData: Buffer | undefined;
  let state: ReturnType<typeof bundleState> | 'absent' = bundleState(file, path.join(binDir, '..', '.tsbuildinfo'));
  if (state === 'bundled' && useCache) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // No cache made by this Node: the bundle compiled whole at start is slower than the modules.
      state = 'absent';
    }
  }
  if (state !== 'bundled') {
    const { runProgram } = await import('./program.js');
    return { runProgram, cache: state, saveCache: () => undefined };
  }
  // The bundle is a CommonJS body: wrapped as Node wraps a module, with the host's import() for the
  // packages and files it imports at run time (src/io/import.ts).
  const source = `(function (exports, require, module, __filename, __dirname, __labelmapImport) {${readFileSync(file, 'utf8')}\n})`;
  const script = new vm.Script(source, { filename: file, cachedData });
  const cache = cachedData === undefined ? 'uncached' : script.cachedDataRejected ? 'rejected' : 'accepted';
  const module = { exports: {} as { runProgram?: typeof RunProgram } };
  const body = script.runInThisContext() as (...args: unknown[]) => void;
  body(module.exports, createRequire(file), module, file, binDir, (specifier: string) => import(specifier));
  const { runProgram } = module.exports;
  if (typeof runProgram !== 'function') throw new Error(`${file} does not export runProgram: run \`npm run build\` again`);
  return { runProgram, cache, saveCache: () => writeFileSync(cacheFile, script.createCachedData()) };
}
