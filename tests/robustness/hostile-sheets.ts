// Generated hostile sheet sets (issue 24): a long parent chain, a long parent cycle. As CSV texts
// by path under `sheets/`, so that a test writes them into a temporary repository or reads them
// in-process (sheetFromText).

const TAXONOMY_HEADER = 'id,name,parent,display_name,color,is_thing,description\n';

/**
 * A taxonomy that is one chain c0 <- c1 <- ... <- c(depth-1) (c0 the root), a vertical `product`
 * whose one output class includes the root (so it owns every class), and a dataset `ds` with one
 * class per chain class, each mapped to it: every level is a mapping target.
 */
export function deepChain(depth: number, options: { version?: string } = {}): Record<string, string> {
  const v = options.version ?? '1.0.0';
  const taxonomy: string[] = [];
  const dataset: string[] = [];
  const mapping: string[] = [];
  for (let i = 0; i < depth; i++) {
    taxonomy.push(`${i},c${i},${i === 0 ? '' : `c${i - 1}`},,,,`);
    dataset.push(`${i},n${i},,,,,,`);
    mapping.push(`n${i},c${i},`);
  }
  return {
    [`sheets/taxonomy/core@${v}.csv`]: TAXONOMY_HEADER + taxonomy.join('\n') + '\n',
    [`sheets/verticals/product@${v}.csv`]: 'class,include,train_id,color\nall,c0,,\n',
    [`sheets/datasets/ds@${v}.csv`]: `id,name,display_name,category,train_id,color,is_thing,evaluate\n${dataset.join('\n')}\n`,
    [`sheets/mappings/ds@${v}.csv`]: `source,target,note\n${mapping.join('\n')}\n`,
  };
}

/** A taxonomy whose `length` classes form one parent cycle: c0 -> c1 -> ... -> c(length-1) -> c0. */
export function longCycle(length: number): string {
  const rows: string[] = [];
  for (let i = 0; i < length; i++) rows.push(`${i},c${i},c${(i + 1) % length},,,,`);
  return TAXONOMY_HEADER + rows.join('\n') + '\n';
}
