// The program (loaded by main.ts): global options, the command table, and the one place that
// maps errors to exit codes. A plain command line is read by argv.ts without loading commander;
// anything else (help, usage mistakes) by commander. Command implementations are imported lazily,
// so start-up does not grow with them.
import { importModule } from '../io/import.js';
import type { Command, CommanderError as CommanderErrorType } from 'commander';
import { createRequire } from 'node:module';
import { EXIT, findingToJson, LabelmapError } from '../findings.js';
import { COMMANDS, type CommandSpec } from './commands.js';
import { readPlainArgv, type PlainCommandLine } from './argv.js';
import { createContext, type GlobalOptions, type OutputStream, type Styles } from './context.js';
import { version } from './version.js';

const require = createRequire(import.meta.url);
// commander is loaded through require: its CommonJS entry loads in about half the time of its ESM
// wrapper, and start-up time is what every CI step pays.
type Commander = typeof import('commander');
let commander: Commander | undefined;
function loadCommander(): Commander {
  return (commander ??= require('commander') as Commander);
}

/** Everything the program reads from or writes to its process, so that it can run inside another. */
export interface ProgramIO {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Called once when a command is about to run (the binary tunes the JIT there: main.ts). */
  beforeCommand?: () => Promise<void>;
}

async function loadStyles(opts: GlobalOptions, io: ProgramIO): Promise<Styles | null> {
  const env = io.env;
  const wanted = opts.color !== false && !('NO_COLOR' in env && env.NO_COLOR !== '') && (Boolean(io.stderr.isTTY) || env.FORCE_COLOR);
  if (!wanted) return null;
  const { Chalk } = (await importModule('chalk')) as typeof import('chalk');
  const chalk = new Chalk({ level: 1 });
  return chalk;
}

function addCommand(program: Command, spec: CommandSpec, action: CommandAction): void {
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
    await action({ spec, positional, opts: command.optsWithGlobals() as GlobalOptions & Record<string, unknown> });
  });
}

/** What a command gets from its command line, however it was read (commander or argv.ts). */
type CommandAction = (line: PlainCommandLine) => Promise<void>;

/** Runs one command as read from its command line; returns its exit code (errors propagate). */
async function runCommand({ spec, positional, opts }: PlainCommandLine, io: ProgramIO): Promise<number> {
  await io.beforeCommand?.();
  const styles = await loadStyles(opts, io);
  const ctx = createContext(opts, { stdout: io.stdout, stderr: io.stderr }, styles, io.cwd, io.env);
  const mod = await spec.load();
  return mod.run(positional, opts, ctx);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// commander's own test of the colour conventions (NO_COLOR, FORCE_COLOR, CLICOLOR_FORCE), on the
// program's environment instead of process.env.
function colourWanted(env: NodeJS.ProcessEnv): boolean | undefined {
  if (env.NO_COLOR || env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return false;
  if (env.FORCE_COLOR || env.CLICOLOR_FORCE !== undefined) return true;
  return undefined;
}

/**
 * Runs the CLI on `argv` (`[node, script, ...args]`) and returns its exit code. It writes only to
 * `io.stdout`/`io.stderr`, reads `io.env` and resolves paths against `io.cwd`: it neither exits
 * nor touches process globals, so tests run it in-process. The binary (main.ts) passes the
 * process's own streams and handles EPIPE.
 */
export async function runProgram(argv: string[], io: ProgramIO, options: { commander?: boolean } = {}): Promise<number> {
  const plain = options.commander ? null : readPlainArgv(argv.slice(2), COMMANDS);
  if (plain) {
    try {
      return await runCommand(plain, io);
    } catch (error) {
      return exitCodeOf(error, io, plain.opts.json === true);
    }
  }
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, async (line) => {
    exitCode = await runCommand(line, io);
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    // --json as commander read it; before it got that far (a usage mistake), as the words say.
    const json = (program.opts() as GlobalOptions).json === true || argv.slice(2).includes('--json');
    exitCode = exitCodeOf(error, io, json);
  }
  return exitCode;
}

/**
 * The program as commander reads it: the global options, every command of the table with its
 * flags, help and examples; `action` gets what a command's action gets (tests compare it with
 * argv.ts's reading).
 */
export function buildProgram(io: Pick<ProgramIO, 'stdout' | 'stderr' | 'env'>, action: CommandAction): Command {
  const program = new (loadCommander().Command)('labelmap')
    .description('Cross-dataset label mapping for computer vision: versioned CSV control sheets, one unified taxonomy, a label set per vertical.')
    .version(version(), '-V, --version', 'print the version')
    .option('--sheets <dir>', 'the control-sheet folder (default: $LABELMAP_SHEETS, ./sheets, or the shipped sheets)')
    .option('--json', 'machine-readable output on stdout')
    .option('-q, --quiet', 'print only results and errors')
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    // Before the commands are added: each copies its parent's output settings when created.
    .configureOutput({
      writeOut: (str) => void io.stdout.write(str),
      writeErr: (str) => void io.stderr.write(str),
      getOutHelpWidth: () => (io.stdout.isTTY ? io.stdout.columns : undefined) as number,
      getErrHelpWidth: () => (io.stderr.isTTY ? io.stderr.columns : undefined) as number,
      getOutHasColors: () => colourWanted(io.env) ?? Boolean(io.stdout.isTTY && io.stdout.hasColors?.()),
      getErrHasColors: () => colourWanted(io.env) ?? Boolean(io.stderr.isTTY && io.stderr.hasColors?.()),
    });
  program.addHelpText(
    'after',
    `\nExit codes: 0 success, 1 findings (validate errors, diff beyond --fail-on), 2 usage or input error.\n\nExamples:\n  $ labelmap list\n  $ labelmap extract coco annotations/instances_val2017.json --stats\n  $ labelmap merge --vertical self-driving\n  $ labelmap validate --format github\n`,
  );
  for (const spec of COMMANDS) addCommand(program, spec, action);
  return program;
}

/**
 * What a script reading `--json` gets for an error (exit 2): one document on stdout, the error as
 * findings are (code, place, message, fix, args); the message stays on stderr for people.
 */
export function errorDocument(error: { code: string; message: string } | LabelmapError): Record<string, unknown> {
  const body =
    error instanceof LabelmapError
      ? findingToJson(error.finding)
      : { code: 'usage', severity: 'error', file: null, line: null, column: null, offset: null, path: null, message: error.message.replace(/^error: /, ''), fix: 'run with --help for usage', args: { commander: error.code } };
  return { format: 'labelmap-error', format_version: 1, exit_code: EXIT.error, error: body };
}

function exitCodeOf(error: unknown, io: ProgramIO, json: boolean): number {
  if (error instanceof loadCommander().CommanderError) {
    const e = error as CommanderErrorType;
    // Help and --version end through here with exit code 0; usage mistakes were printed by commander.
    if (e.exitCode !== 0 && json) io.stdout.write(`${JSON.stringify(errorDocument(e), null, 2)}\n`);
    return e.exitCode === 0 ? EXIT.ok : EXIT.error;
  }
  if (error instanceof LabelmapError) {
    printError(error, io);
    if (json) io.stdout.write(`${JSON.stringify(errorDocument(error), null, 2)}\n`);
    return EXIT.error;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EPIPE') return EXIT.ok;
  if (io.env.LABELMAP_DEBUG) {
    io.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  } else {
    io.stderr.write(
      `labelmap: internal error: ${describe(error)}\n  this is a bug in labelmap; run again with LABELMAP_DEBUG=1 for the stack trace and report it\n`,
    );
  }
  return EXIT.error;
}

function printError(error: LabelmapError, io: ProgramIO): void {
  io.stderr.write(`labelmap: ${error.message}\n`);
  if (io.env.LABELMAP_DEBUG) io.stderr.write(`${error.stack ?? ''}\n`);
}

