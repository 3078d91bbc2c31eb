// The command table: what `labelmap --help` lists. Each entry names its flags and examples and
// imports its implementation only when it runs.
import { EXPORT_IDS, SHAPES } from '../export/ids.js';
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
    usage: 'export',
    summary: 'write a compiled label set for training code or an annotation tool (Python, HF, YOLO, COCO, CVAT, ...)',
    options: [
      { flags: '--format <format>', description: 'output format', choices: [...EXPORT_IDS] },
      { flags: '--bundle <file>', description: 'the labelmap.json (or the folder) that `labelmap merge` wrote' },
      { flags: '--out <file>', description: 'write to a file (atomically) instead of stdout' },
      { flags: '--shape <shape>', description: 'annotation shape for cvat (default any) and label-studio (default polygon)', choices: [...SHAPES] },
    ],
    examples: [
      'labelmap export --bundle out/self-driving/labelmap.json --format python --out labels_self_driving.py',
      'labelmap export --bundle out/self-driving --format hf > id2label.json',
      'labelmap export --bundle out/self-driving/labelmap.json --format label-studio --shape rectangle',
    ],
    load: () => import('./commands/export.js'),
  },
];
