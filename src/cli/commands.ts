// The command table: what `labelmap --help` lists. Each entry names its flags and examples and
// imports its implementation only when it runs.
import type { Context, GlobalOptions } from './context.js';

export interface CommandModule {
  /** Runs the command; returns the exit code (0 ok, 1 findings). Throws LabelmapError for exit 2. */
  run(args: (string | string[] | undefined)[], opts: GlobalOptions & Record<string, unknown>, ctx: Context): Promise<number>;
}

export interface OptionSpec {
  flags: string;
  description: string;
  choices?: string[];
  default?: string | boolean;
}

export interface CommandSpec {
  /** `name <arg> [arg]` as commander reads it. */
  usage: string;
  summary: string;
  options?: OptionSpec[];
  examples: string[];
  load(): Promise<CommandModule>;
}

export const COMMANDS: CommandSpec[] = [
  {
    usage: 'list',
    summary: 'list every sheet: kind, name, versions, latest, rows',
    examples: ['labelmap list', 'labelmap list --json', 'labelmap --sheets ./my-sheets list'],
    load: () => import('./commands/list.js'),
  },
  {
    usage: 'show <ref>',
    summary: 'print the rows of one sheet (name, name@1.2.0, kind/name) as a table',
    examples: ['labelmap show coco', 'labelmap show datasets/cityscapes@1.0.0', 'labelmap show verticals/self-driving --json'],
    load: () => import('./commands/show.js'),
  },
  {
    usage: 'validate [dir]',
    summary: 'check every sheet with every rule and print every finding (exit 0 clean, 1 findings, 2 could not run)',
    options: [
      { flags: '--format <format>', description: 'text, json (a stable list) or github (Actions annotations)', choices: ['text', 'json', 'github'], default: 'text' },
      { flags: '--strict', description: 'exit 1 on warnings too' },
    ],
    examples: [
      'labelmap validate',
      'labelmap validate ./sheets --strict',
      'labelmap validate --format github',
      'labelmap validate sheets --format json > findings.json',
    ],
    load: () => import('./commands/validate.js'),
  },
  {
    usage: 'schema [kind]',
    summary: 'print the JSON Schema of a sheet row (dataset, taxonomy, mapping, vertical), or of all four',
    examples: ['labelmap schema', 'labelmap schema taxonomy', 'labelmap schema vertical > vertical-row.schema.json'],
    load: () => import('./commands/schema.js'),
  },
  {
    usage: 'init [dir]',
    summary: "start a team's sheets repository: sheets/ with the shipped sheets to edit, a lock file, a CI workflow and a pre-commit hook",
    options: [{ flags: '--empty', description: 'create the four sheet folders empty instead of copying the shipped sheets' }],
    examples: ['labelmap init', 'labelmap init my-labels', 'labelmap init my-labels --empty'],
    load: () => import('./commands/init.js'),
  },
];
