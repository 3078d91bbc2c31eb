// The plain command lines, read without commander. Loading commander (its top-level require of
// node:child_process pulls in net, dgram and streams) and building the program with every
// command costs each run about 15 ms, more than some commands' own work (`labelmap find`,
// `list`: issues 21 and 23). Most command lines are plain: a command word, its arguments, flags
// it declares, global flags. For those, readPlainArgv gives exactly what commander would hand the
// command's action (tests/cli/argv.test.ts compares the two on every example and on generated
// command lines). Anything else (help, a typo, `--`, a short flag bundle, a flag's value that
// starts with `-`, a variadic flag, a missing or extra argument, a value outside the flag's
// choices) returns null, and the program parses it with commander, which prints the usage error.
import type { CommandSpec } from './commands.js';
import type { GlobalOptions } from './context.js';

export interface PlainCommandLine {
  spec: CommandSpec;
  /** The positional arguments as commander passes them: one per argument, a variadic one as an array. */
  positional: (string | string[] | undefined)[];
  /** The options as `command.optsWithGlobals()` gives them. */
  opts: GlobalOptions & Record<string, unknown>;
}

interface FlagSpec {
  /** The key in opts (commander's camel case of the long name). */
  key: string;
  /** A flag that takes a value, and the value's choices if it has some. */
  takesValue: boolean;
  choices?: readonly string[];
}

// The program's own options (program.ts builds the same ones into commander): `--no-color` is
// negatable, so `color` is true unless it is given.
const GLOBAL_FLAGS: Record<string, FlagSpec & { value?: unknown }> = {
  '--sheets': { key: 'sheets', takesValue: true },
  '--json': { key: 'json', takesValue: false },
  '-q': { key: 'quiet', takesValue: false },
  '--quiet': { key: 'quiet', takesValue: false },
  '--no-color': { key: 'color', takesValue: false, value: false },
};

interface ArgumentSpec {
  required: boolean;
  variadic: boolean;
}

interface CommandShape {
  name: string;
  args: ArgumentSpec[];
  flags: Map<string, FlagSpec>;
  defaults: Record<string, unknown>;
}

const shapes = new WeakMap<CommandSpec, CommandShape | null>();

/**
 * What the command's usage and flags say, in the forms this reader handles; null for a command
 * declaring something it does not (a short flag, an optional or variadic flag value, a negatable
 * flag): such a command always goes through commander.
 */
function shapeOf(spec: CommandSpec): CommandShape | null {
  let shape = shapes.get(spec);
  if (shape !== undefined) return shape;
  shape = readShape(spec);
  shapes.set(spec, shape);
  return shape;
}

function readShape(spec: CommandSpec): CommandShape | null {
  const [name, ...words] = spec.usage.split(' ');
  const args: ArgumentSpec[] = [];
  for (const word of words) {
    const m = /^([<[])[\w-]+(\.\.\.)?[>\]]$/.exec(word);
    if (!m) return null;
    args.push({ required: m[1] === '<', variadic: m[2] !== undefined });
  }
  if (args.slice(0, -1).some((a) => a.variadic)) return null;
  const flags = new Map<string, FlagSpec>();
  const defaults: Record<string, unknown> = {};
  for (const option of spec.options ?? []) {
    const m = /^--([a-z][a-z0-9]*(?:-[a-z0-9]+)*)(?: <[^<>]+>)?$/.exec(option.flags);
    // `--no-x`, short flags, `[optional]` and `<variadic...>` values: not read here.
    if (!m || m[1]!.startsWith('no-') || option.flags.endsWith('...>')) continue;
    const key = m[1]!.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    flags.set(`--${m[1]}`, { key, takesValue: option.flags.includes('<'), ...(option.choices ? { choices: option.choices } : {}) });
    if (option.default !== undefined) defaults[key] = option.default;
  }
  return { name: name!, args, flags, defaults };
}

/**
 * `args` (argv without node and the script) as commander would read it, when it is a plain
 * command line of one of `commands`; null when commander must read it.
 */
export function readPlainArgv(args: readonly string[], commands: readonly CommandSpec[]): PlainCommandLine | null {
  let spec: CommandSpec | undefined;
  let shape: CommandShape | null = null;
  const globals: Record<string, unknown> = { color: true };
  const given: Record<string, unknown> = {};
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('-')) {
      const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
      const name = eq > 0 ? arg.slice(0, eq) : arg;
      const global = GLOBAL_FLAGS[name];
      const flag = global ?? shape?.flags.get(name);
      if (!flag) return null;
      let value: unknown = global?.value ?? true;
      if (flag.takesValue) {
        if (eq > 0) value = arg.slice(eq + 1);
        else {
          const next = args[++i];
          if (next === undefined || next.startsWith('-')) return null;
          value = next;
        }
        if (flag.choices && !flag.choices.includes(value as string)) return null;
      } else if (eq > 0) return null;
      (global ? globals : given)[flag.key] = value;
      continue;
    }
    if (!spec) {
      spec = commands.find((c) => c.usage === arg || c.usage.startsWith(`${arg} `));
      shape = spec ? shapeOf(spec) : null;
      if (!shape) return null;
      continue;
    }
    words.push(arg);
  }
  if (!spec || !shape) return null;
  const positional = positionalOf(words, shape.args);
  if (!positional) return null;
  return { spec, positional, opts: { ...globals, ...shape.defaults, ...given } };
}

/** The words as commander's arguments, or null when there are too few or too many. */
function positionalOf(words: readonly string[], specs: readonly ArgumentSpec[]): (string | string[] | undefined)[] | null {
  const out: (string | string[] | undefined)[] = [];
  let i = 0;
  for (const arg of specs) {
    if (arg.variadic) {
      const rest = words.slice(i);
      if (arg.required && rest.length === 0) return null;
      out.push(rest.length ? rest : undefined);
      i = words.length;
    } else {
      const word = words[i++];
      if (word === undefined && arg.required) return null;
      out.push(word);
    }
  }
  return i >= words.length ? out : null;
}
