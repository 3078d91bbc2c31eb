// Array helpers for data-sized arrays. `target.push(...items)` and `Math.max(...values)` pass every
// element as a call argument, and V8 throws `RangeError: Maximum call stack size exceeded` past
// roughly 100k of them (a 250k-class taxonomy, a 650k-class dataset): loops have no such limit.

/** Appends every item to target, in order; returns target. */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The largest value, or `empty` when there are none. */
export function maxOf(values: Iterable<number>, empty: number): number {
  let max: number | undefined;
  for (const v of values) if (max === undefined || v > max) max = v;
  return max ?? empty;
}
