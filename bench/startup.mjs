// Start-up: median wall time of `labelmap --version` and `labelmap list` (on the shipped sheets)
// over repeated runs, next to `npx tsx src/cli/main.ts --version`, in one run. Goal: --version
// under 100 ms median on the 2-core machine.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, median, table, timeOnce } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RUNS ?? 25);
const bin = path.join(root, 'bin', 'labelmap');
const tsxCli = path.join(root, 'node_modules', '.bin', 'tsx');

const cases = [
  ['labelmap --version', process.execPath, [bin, '--version']],
  ['labelmap list', process.execPath, [bin, 'list']],
  ['labelmap --help', process.execPath, [bin, '--help']],
  ['node -e 0 (Node itself)', process.execPath, ['-e', '0']],
  ['npx tsx src/cli/main.ts --version', 'npx', ['tsx', 'src/cli/main.ts', '--version']],
  ['tsx src/cli/main.ts --version (no npx)', tsxCli, ['src/cli/main.ts', '--version']],
];

// NODE_EXTRA_CA_CERTS (set on this workplace's machines) makes every Node process parse a CA
// bundle at start: measure as the environment is, and without it, side by side.
const envs = [
  ['as set here', process.env],
  ['without NODE_EXTRA_CA_CERTS', Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS'))],
];

const rows = [];
let versionMedian = Infinity;
for (const [label, cmd, args] of cases) {
  const cells = [label];
  for (const [envName, env] of envs) {
    const n = label.startsWith('npx') ? Math.min(runs, 7) : runs;
    timeOnce(cmd, args, { cwd: root, env }); // warm the file cache
    const times = Array.from({ length: n }, () => timeOnce(cmd, args, { cwd: root, env }));
    const m = median(times);
    if (label === 'labelmap --version' && envName !== 'as set here') versionMedian = m;
    cells.push(`${m.toFixed(0)} ms`);
  }
  rows.push(cells);
}
console.log(`## Start-up (${runs} runs each, median)\n\nMachine: ${machine()}\n`);
console.log(table(['command', ...envs.map(([e]) => e)], rows));
const ok = versionMedian < 100;
console.log(`\nGoal: labelmap --version under 100 ms median: ${ok ? 'met' : 'MISSED'} (${versionMedian.toFixed(0)} ms without the CA bundle)\n`);
process.exitCode = ok ? 0 : 1;
