// The program (loaded by main.ts): global options, the command table, and the one place that
// maps errors to exit codes. Command implementations are imported lazily, so start-up does not
// grow with them.
import type { Command, CommanderError as CommanderErrorType } from 'commander';
import { createRequire } from 'node:module';
import { EXIT, LabelmapError } from '../findings.js';
import { COMMANDS, type CommandSpec } from './commands.js';
import { createContext, type GlobalOptions, type Styles } from './context.js';
import { version } from './version.js';

const require = createRequire(import.meta.url);
// commander is loaded through require: its CommonJS entry loads in about half the time of its ESM
// wrapper, and start-up time is what every CI step pays.
type Commander = typeof import('commander');
let commander: Commander | undefined;
function loadCommander(): Commander {
  return (commander ??= require('commander') as Commander);
}

async function loadStyles(opts: GlobalOptions, env: NodeJS.ProcessEnv): Promise<Styles | null> {
  const wanted = opts.color !== false && !('NO_COLOR' in env && env.NO_COLOR !== '') && (Boolean(process.stderr.isTTY) || env.FORCE_COLOR);
  if (!wanted) return null;
  const { Chalk } = await import('chalk');
  const chalk = new Chalk({ level: 1 });
  return chalk;
}

function addCommand(program: Command, spec: CommandSpec, run: (code: number) => void): void {
  const cmd = program.command(spec.usage).description(spec.summary);
  for (const option of spec.options ?? []) {
    const o = new (loadCommander().Option)(option.flags, option.description);
    if (option.choices) o.choices(option.choices);
    if (option.default !== undefined) o.default(option.default);
    cmd.addOption(o);
  }
  cmd.addHelpText('after', `\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}\n`);
  cmd.action(async (...args: unknown[]) => {
    const command = args.at(-1) as Command;
    const positional = args.slice(0, -2) as (string | string[] | undefined)[];
    const opts = command.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
    const styles = await loadStyles(opts, process.env);
    const ctx = createContext(opts, { stdout: process.stdout, stderr: process.stderr }, styles);
    const mod = await spec.load();
    run(await mod.run(positional, opts, ctx));
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function runProgram(argv: string[]): Promise<void> {
  // `labelmap ... | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  let exitCode: number = EXIT.ok;
  const program = new (loadCommander().Command)('labelmap')
    .description('Cross-dataset label mapping for computer vision: versioned CSV control sheets, one unified taxonomy, a label set per vertical.')
    .version(version(), '-V, --version', 'print the version')
    .option('--sheets <dir>', 'the control-sheet folder (default: $LABELMAP_SHEETS, ./sheets, or the shipped sheets)')
    .option('--json', 'machine-readable output on stdout')
    .option('-q, --quiet', 'print only results and errors')
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addHelpText(
    'after',
    `\nExit codes: 0 success, 1 findings (validate errors, diff beyond --fail-on), 2 usage or input error.\n\nExamples:\n  $ labelmap list\n  $ labelmap extract coco annotations/instances_val2017.json --stats\n  $ labelmap merge --vertical self-driving\n  $ labelmap validate --format github\n`,
  );
  for (const spec of COMMANDS) {
    addCommand(program, spec, (code) => {
      exitCode = code;
    });
  }
  try {
    await program.parseAsync(argv);
  } catch (error) {
    exitCode = exitCodeOf(error);
  }
  process.exitCode = exitCode;
}

function exitCodeOf(error: unknown): number {
  if (error instanceof loadCommander().CommanderError) {
    const e = error as CommanderErrorType;
    // Help and --version end through here with exit code 0; usage mistakes were printed by commander.
    return e.exitCode === 0 ? EXIT.ok : EXIT.error;
  }
  if (error instanceof LabelmapError) {
    printError(error);
    return EXIT.error;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EPIPE') return EXIT.ok;
  if (process.env.LABELMAP_DEBUG) {
    process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  } else {
    process.stderr.write(
      `labelmap: internal error: ${describe(error)}\n  this is a bug in labelmap; run again with LABELMAP_DEBUG=1 for the stack trace and report it\n`,
    );
  }
  return EXIT.error;
}

function printError(error: LabelmapError): void {
  process.stderr.write(`labelmap: ${error.message}\n`);
  if (process.env.LABELMAP_DEBUG) process.stderr.write(`${error.stack ?? ''}\n`);
}

