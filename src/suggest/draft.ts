// A suggestion list as a draft mapping sheet: every source class once, the best target, and the
// evidence in x_ columns for the reviewer. `x_review` is `suggested` (at or above the threshold)
// or `review` (below it); validate warns while any row still carries it.
import { formatTable } from '../sheets/csv.js';
import type { Suggestion } from './index.js';

export const DRAFT_COLUMNS = ['source', 'target', 'note', 'x_alternatives', 'x_confidence', 'x_evidence', 'x_review'] as const;

export function draftRows(suggestions: readonly Suggestion[], describe: (target: string) => string): Record<(typeof DRAFT_COLUMNS)[number], string>[] {
  return suggestions.map((s) => {
    const best = s.best;
    const notes: string[] = [];
    if (!best) notes.push('No evidence for any target: choose one (or ignore).');
    else if (!s.accepted && !s.trap.length) notes.push(`Low confidence (${best.confidence.toFixed(2)}): check the target.`);
    if (s.trap.length) {
      notes.push(`Trap: the existing mappings send this name to ${s.trap.join(' and ')}; ${s.trap.map((t) => `${t}: ${describe(t) || '(no description)'}`).join(' / ')}`);
    }
    return {
      source: s.source.name,
      target: best?.target ?? 'ignore',
      note: notes.join(' '),
      x_alternatives: s.alternatives.map((a) => `${a.target} ${a.confidence.toFixed(2)}`).join('; '),
      x_confidence: best ? best.confidence.toFixed(2) : '0.00',
      x_evidence: best ? best.evidence.filter((e) => e.weight !== 0 || e.signal.startsWith('close:')).map((e) => e.signal).join(' ') : '',
      x_review: s.accepted ? 'suggested' : 'review',
    };
  });
}

export function formatDraft(suggestions: readonly Suggestion[], describe: (target: string) => string): string {
  return formatTable(DRAFT_COLUMNS, draftRows(suggestions, describe));
}
