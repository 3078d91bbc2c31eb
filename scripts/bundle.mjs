// The CLI's bundle, after tsc (`npm run build`): dist/cli/program.js and every module it loads, as
// one classic script dist/bin/program.cjs, and the V8 code cache of a run of it,
// dist/bin/program.<node version>-<arch>.cache. src/cli/bundle.ts loads them (why: see there and
// BENCHMARKS.md).
//
//   node scripts/bundle.mjs            bundle, then make the cache in a fresh process
//   node scripts/bundle.mjs --cache    (that process) run find and list on the shipped sheets, save the cache
//
// Every module keeps its own import.meta.url (its file in dist/), so the paths relative to it hold
// as they are: the shipped sheets, package.json, and the worker scripts (dist/formats/voc-worker.js,
// ...), which still run from dist/ as modules.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const binDir = path.join(dist, 'bin');
const out = path.join(binDir, 'program.cjs');

if (process.argv[2] === '--cache') {
  await makeCache();
} else {
  await bundle();
  // A fresh process: the cache holds what V8 compiled for these commands, with Node's default flags.
  const made = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--cache'], { stdio: 'inherit' });
  if (made.status !== 0) process.exit(made.status ?? 1);
}

async function bundle() {
  const { build } = await import('esbuild');
  rmSync(binDir, { recursive: true, force: true });
  mkdirSync(binDir, { recursive: true });
  const keepUrls = {
    name: 'labelmap-module-urls',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, async (args) => {
        if (!args.path.startsWith(dist + path.sep)) return undefined;
        // The one dynamic import of code from outside (src/io/import.ts): the host's (src/cli/bundle.ts).
        if (args.path === path.join(dist, 'io', 'import.js')) {
          return { contents: 'export function importModule(specifier) { return __labelmapImport(specifier); }\n', loader: 'js' };
        }
        let text = readFileSync(args.path, 'utf8');
        if (text.includes('import.meta.url')) text = text.replaceAll('import.meta.url', moduleUrl(args.path));
        return { contents: text, loader: 'js' };
      });
    },
  };
  const result = await build({
    entryPoints: [path.join(dist, 'cli', 'program.js')],
    outfile: out,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // The dist/ folder's URL, from the bundle's own place (an installed package moves).
    banner: { js: 'var __labelmapDist = require("node:url").pathToFileURL(require("node:path").join(__dirname, "..")).href;' },
    plugins: [keepUrls],
    logLevel: 'warning',
    metafile: true,
  });
  const inputs = Object.keys(result.metafile.inputs).length;
  process.stdout.write(`bundle: ${path.relative(root, out)} (${inputs} modules, ${Math.round(statSync(out).size / 1024)} kB)\n`);
}

/** The expression of a dist/ module's URL in the bundle: `(__labelmapDist + "/cli/context.js")`. */
function moduleUrl(file) {
  const rel = path.relative(dist, file).split(path.sep).map(encodeURIComponent).join('/');
  return `(__labelmapDist + ${JSON.stringify(`/${rel}`)})`;
}

async function makeCache() {
  const { loadProgram } = await import(pathToFileURL(path.join(dist, 'cli', 'bundle.js')).href);
  const loaded = await loadProgram({ binDir, useCache: false });
  const quiet = { write: () => true };
  const io = { stdout: quiet, stderr: quiet, env: { NO_COLOR: '1' }, cwd: root };
  for (const args of [['find', 'bicycle'], ['list']]) {
    const code = await loaded.runProgram(['node', 'labelmap', '--sheets', path.join(root, 'sheets'), ...args], io);
    if (code !== 0) throw new Error(`bundle: labelmap ${args.join(' ')} exited ${code} while making the code cache`);
  }
  loaded.saveCache();
  process.stdout.write(`bundle: dist/bin/program.${process.version}-${process.arch}.cache (V8 code cache of find and list)\n`);
}
