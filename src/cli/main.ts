// The entry: bin/labelmap calls main(). It imports nothing heavy, so that `labelmap --version`,
// what scripts call to check the tool, answers without loading the program; everything else
// loads the program (cli/program.ts, from its bundle: cli/bundle.ts), which loads each command
// only when it runs.
import { pathToFileURL } from 'node:url';
import { processOutput } from './stdio.js';
import { version } from './version.js';

export async function main(argv: string[]): Promise<void> {
  // `labelmap ... | head` closes the pipe early: that is the reader's choice, not an error. A
  // reader of stderr that went away does not end the run.
  const stdout = processOutput(1, () => process.exit(process.exitCode ?? 0));
  if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-V')) {
    stdout.write(`${version()}\n`);
    return;
  }
  const stderr = processOutput(2, () => undefined);
  // From the CLI's bundle with V8's code cache when built (cli/bundle.ts), else as modules.
  const { runProgram } = await (await import('./bundle.js')).loadProgram();
  process.exitCode = await runProgram(argv, { stdout, stderr, env: process.env, cwd: process.cwd(), beforeCommand: tuneForShortRuns });
}

/**
 * Most commands read a few thousand sheet rows and are done in a few hundred milliseconds: V8's
 * optimising compiler cost them more than it saved (compiling functions that were about to stop
 * running, on a second core a busy machine does not have). Four times the default interrupt
 * budget lets code run longer in the baseline tiers before it is optimised: `labelmap find` on the
 * shipped sheets took about a third less CPU; long runs (17,125 VOC files, a 458 MB COCO file) are
 * unchanged, their hot loops optimised a few milliseconds later. Set when a command is about to
 * run, not at start-up: loading node:v8 costs about 20 ms, which `--version`, `--help` and the
 * plain `list` do not pay (BENCHMARKS.md, session 4). The process's own flag: not for the program
 * run inside tests.
 */
async function tuneForShortRuns(): Promise<void> {
  const v8 = await import('node:v8');
  v8.setFlagsFromString('--interrupt-budget=270336');
}

// Run directly (`npx tsx src/cli/main.ts ...`); bin/labelmap imports the module and calls main().
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv);
}
