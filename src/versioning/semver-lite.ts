// The two semver questions sheet discovery asks of every file name, answered without loading the
// semver package (30 ms of start-up for `list`; see BENCHMARKS.md). Held equal to semver's
// `valid(v) === v` and `compare` by tests/versioning/semver-lite.test.ts.

/** Semantic Versioning 2.0 without build metadata: `1.2.0`, `2.0.0-rc.1`. */
const STRICT = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?$/;
/** The semver package's limits: longer strings and larger numbers are not versions. */
const MAX_LENGTH = 256;
const NUMERIC = /^[0-9]+$/;

/** Whether `v` is a version exactly as written (semver's `valid(v) === v`: no `v`, no build, no spaces). */
export function isExactSemver(v: string): boolean {
  if (v.length > MAX_LENGTH) return false;
  const m = STRICT.exec(v);
  return m !== null && [m[1], m[2], m[3]].every((part) => Number(part) <= Number.MAX_SAFE_INTEGER);
}

/** -1, 0 or 1 by semver precedence (both must satisfy isExactSemver). */
export function compareSemver(a: string, b: string): number {
  const [mainA, preA] = split(a);
  const [mainB, preB] = split(b);
  for (let k = 0; k < 3; k++) {
    const d = mainA[k]! - mainB[k]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  // A pre-release is lower than its release; otherwise identifiers compare one by one.
  if (preA.length === 0 || preB.length === 0) return preA.length === preB.length ? 0 : preA.length === 0 ? 1 : -1;
  for (let k = 0; k < Math.max(preA.length, preB.length); k++) {
    const x = preA[k];
    const y = preB[k];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const d = compareIdentifiers(x, y);
    if (d !== 0) return d;
  }
  return 0;
}

function split(v: string): [number[], string[]] {
  const dash = v.indexOf('-');
  const main = (dash < 0 ? v : v.slice(0, dash)).split('.').map(Number);
  return [main, dash < 0 ? [] : v.slice(dash + 1).split('.')];
}

/** Numeric identifiers compare as numbers and below alphanumeric ones, which compare as text. */
function compareIdentifiers(x: string, y: string): number {
  const xNum = NUMERIC.test(x);
  const yNum = NUMERIC.test(y);
  if (xNum && yNum) {
    const d = Number(x) - Number(y);
    return d === 0 ? 0 : d < 0 ? -1 : 1;
  }
  if (xNum !== yNum) return xNum ? -1 : 1;
  return x === y ? 0 : x < y ? -1 : 1;
}
