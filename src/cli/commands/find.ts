import { findLabels, type FindGroup, type Landing } from '../../explore/index.js';
import { loadLookupIndex } from '../../explore/load.js';
import { LabelmapError } from '../../findings.js';
import { printableLines } from '../../text/index.js';
import type { Context } from '../context.js';
import { formatColumns } from '../table.js';

export async function run(args: (string | string[] | undefined)[], opts: { vertical?: string }, ctx: Context): Promise<number> {
  const query = (args as string[][])[0]?.join(' ') ?? '';
  const { dir } = ctx.sheetsForRead();
  const { index } = loadLookupIndex(dir);
  const result = findLabels(index, query);
  if (ctx.json) {
    ctx.print(JSON.stringify({ format: 'labelmap-find', format_version: 1, sheets: dir, ...result }, null, 2));
    return result.groups.length ? 0 : 1;
  }
  if (result.groups.length === 0) {
    ctx.warn(`labelmap: nothing matches ${JSON.stringify(query)} in ${index.classes.length} taxonomy classes and ${index.sources.length} dataset classes`);
    ctx.warn('  try a shorter word, a singular, or `labelmap show taxonomy/<name>` for the whole tree');
    return 1;
  }
  const verticals = opts.vertical ? index.verticals.filter((v) => v === opts.vertical) : index.verticals;
  if (opts.vertical && verticals.length === 0) {
    throw new LabelmapError('sheet-ref-not-found', {}, { ref: opts.vertical, known: index.verticals.join(', ') });
  }
  ctx.print(printableLines(result.groups.map((g) => formatGroup(g, verticals, ctx)).join('\n\n')));
  ctx.info(ctx.style.dim(`\n${LEGEND}`));
  return 0;
}

function formatGroup(g: FindGroup, verticals: readonly string[], ctx: Context): string {
  const head = g.class
    ? `${ctx.style.bold(g.class.name)} (taxonomy id ${g.class.id}, ${g.class.path.join(' > ')})`
    : `${ctx.style.bold(g.target)} (mapping target: ${g.target === 'background' ? 'none of the dataset\'s classes' : 'void, no information'})`;
  const lines = [head, `  matched: ${matchedText(g.matched)}`];
  if (g.class?.description) lines.push(`  ${g.class.description}`);
  if (g.class) {
    const outs = verticals.map((v) => `${v}: ${g.class!.outputs[v] ?? '-'}`);
    lines.push(`  output label: ${outs.join(' | ')}`);
  }
  if (g.sources.length === 0) {
    lines.push('  no dataset class maps here');
    return lines.join('\n');
  }
  const header = ['dataset', 'id', 'name', ...verticals];
  const rows = g.sources.map((s) => [s.dataset, String(s.id), s.matched ? `${s.name} *` : s.name, ...verticals.map((v) => landingText(s.landings.find((l) => l.vertical === v)))]);
  lines.push(
    formatColumns(header, rows, ctx.style)
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
  );
  return lines.join('\n');
}

/** `car`, `{road|lane_marking} (set)`, `ignore (not in vertical)`. */
export function landingText(l: Landing | undefined): string {
  if (!l) return '-';
  if (l.kind === 'label') return l.output ?? '-';
  if (l.kind === 'set') return `{${l.output ?? ''}}`;
  return IGNORE_WORDS[l.reason] ?? `ignore (${l.reason})`;
}

/** Short words for the ways a class is switched off (the legend under the table says them). */
const IGNORE_WORDS: Record<string, string> = {
  'not in vertical': 'off',
  'ignored by mapping': 'void',
  'coarser than vertical': 'ignore (coarser)',
  background: 'background',
};

export const LEGEND =
  '{a|b} a label set (the class may be any of them) · off: not in the vertical · void: the mapping says ignore · ignore (coarser): coarser than the vertical, compiled to ignore · * the name matched';

/** `taxonomy name; output in self-driving, smart-city; dataset classes of coco, voc`. */
function matchedText(matched: readonly string[]): string {
  const byKind = new Map<string, string[]>();
  for (const m of matched) {
    const [, kind, detail] = /^(.*?)(?: \((.*)\))?$/.exec(m)!;
    const list = byKind.get(kind!) ?? [];
    if (detail) list.push(detail);
    byKind.set(kind!, list);
  }
  return [...byKind].map(([kind, details]) => (details.length ? `${kind} in ${details.join(', ')}` : kind)).join('; ');
}
