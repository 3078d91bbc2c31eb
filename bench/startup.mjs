// Start-up: `labelmap --version`, `labelmap list` (on the shipped sheets) and `labelmap --help`
// side by side with `node -e 0`, alternating in one run, as the environment is set and without
// NODE_EXTRA_CA_CERTS; then the tsx ways of running the source, for comparison. Goals:
// --version under 100 ms median without the CA bundle; list within 50 ms of `node -e 0` (median
// CPU time) both ways. BENCH_RUNS (default 25) runs each; --compare <bin/labelmap> adds another
// build's `list` (before/after in one run).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg, machine, median, sideBySide, sideBySideTable, table, timeOnce, verdict } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RUNS ?? 25);
const bin = path.join(root, 'bin', 'labelmap');
const tsxCli = path.join(root, 'node_modules', '.bin', 'tsx');

// --compare <other bin/labelmap> (or BENCH_COMPARE): that build's `list` in the same rounds (before/after).
const compareAt = process.argv.indexOf('--compare');
const compare = compareAt >= 0 ? process.argv[compareAt + 1] : process.env.BENCH_COMPARE;
const cases = [
  ['labelmap --version', process.execPath, [bin, '--version']],
  ['labelmap list', process.execPath, [bin, 'list']],
  ['labelmap --help', process.execPath, [bin, '--help']],
  ['node -e 0 (Node itself)', process.execPath, ['-e', '0']],
  ...(compare ? [['labelmap list (compared build)', process.execPath, [compare, 'list']]] : []),
];
const slow = [
  ['npx tsx src/cli/main.ts --version', 'npx', ['tsx', 'src/cli/main.ts', '--version']],
  ['tsx src/cli/main.ts --version (no npx)', tsxCli, ['src/cli/main.ts', '--version']],
];

// NODE_EXTRA_CA_CERTS (set on this workplace's machines) makes every Node process parse a CA
// bundle at start: measure as the environment is, and without it, side by side.
const envs = [
  ['as set here', process.env],
  ['without NODE_EXTRA_CA_CERTS', Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS'))],
];

const loadBefore = loadavg();
const medians = new Map();
const allResults = new Map();
for (const [envName, env] of envs) {
  const { results } = sideBySide(cases.map(([name, cmd, args]) => ({ name, cmd, args, options: { cwd: root, env } })), runs);
  for (const [name, r] of results) {
    medians.set(`${name}|${envName}`, r.medianMs);
    allResults.set(`${name} (${envName})`, r);
  }
  for (const [name, cmd, args] of slow) {
    timeOnce(cmd, args, { cwd: root, env });
    medians.set(`${name}|${envName}`, median(Array.from({ length: Math.min(runs, 7) }, () => timeOnce(cmd, args, { cwd: root, env }))));
  }
}
const rows = [...cases, ...slow].map(([name]) => [name, ...envs.map(([e]) => `${medians.get(`${name}|${e}`).toFixed(0)} ms`)]);
console.log(`## Start-up (${runs} runs each, alternating, median)\n\nMachine: ${machine()}; load before ${loadBefore}, after ${loadavg()}\n`);
console.log(table(['command', ...envs.map(([e]) => e)], rows));
console.log(`\nWall and CPU time of the alternating runs (CPU time says more on a crowded machine):\n`);
console.log(sideBySideTable(allResults, { unit: 'ms' }));
for (const [e] of envs) {
  const cpu = (name) => allResults.get(`${name} (${e})`).medianCpuMs;
  console.log(`\nlist minus node -e 0, median CPU (${e}): +${(cpu('labelmap list') - cpu('node -e 0 (Node itself)')).toFixed(0)} ms`);
}
const goals = [];
const version = medians.get('labelmap --version|without NODE_EXTRA_CA_CERTS');
goals.push({ met: version < 100, text: `labelmap --version under 100 ms median without the CA bundle: ${version.toFixed(0)} ms` });
// On CPU time (user + system): on a crowded machine the wall time measures the queue.
for (const [e] of envs) {
  const cpu = (name) => allResults.get(`${name} (${e})`).medianCpuMs;
  const gap = cpu('labelmap list') - cpu('node -e 0 (Node itself)');
  goals.push({ met: gap <= 50, text: `labelmap list within 50 ms of node -e 0, median CPU (${e}): +${gap.toFixed(0)} ms` });
}
verdict(goals, allResults);
