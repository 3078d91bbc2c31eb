// The entry: bin/labelmap calls main(). It imports nothing heavy, so that `labelmap --version`,
// what scripts call to check the tool, answers without loading the program; everything else
// loads the program (cli/program.ts), which loads each command only when it runs.
import { pathToFileURL } from 'node:url';
import { version } from './version.js';

export async function main(argv: string[]): Promise<void> {
  if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-V')) {
    process.stdout.write(`${version()}\n`);
    return;
  }
  // `labelmap ... | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const { runProgram } = await import('./program.js');
  process.exitCode = await runProgram(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
}

// Run directly (`npx tsx src/cli/main.ts ...`); bin/labelmap imports the module and calls main().
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv);
}
