import { it } from 'vitest';

/**
 * Table-driven tests named by the JSON of their inputs. (vitest's it.each would interpolate
 * `$1` in titles such as "$1,234.50", garbling them.)
 */
export function eachCase<A, B>(cases: readonly (readonly [A, B])[], fn: (a: A, b: B) => void): void {
  for (const [a, b] of cases) it(`${JSON.stringify(a)} → ${JSON.stringify(b)}`, () => fn(a, b));
}

/** One test per input value, named by its JSON. */
export function eachValue<A>(values: readonly A[], fn: (a: A) => void): void {
  for (const a of values) it(JSON.stringify(a), () => fn(a));
}
