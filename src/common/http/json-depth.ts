/** Deepest JSON nesting accepted in a request body (issue 16 L6). */
export const MAX_JSON_DEPTH = 32;

/**
 * True when a parsed JSON value nests objects/arrays deeper than `max`. Iterative (no
 * recursion to overflow) and stops at the first level past the bound.
 */
export function exceedsJsonDepth(value: unknown, max = MAX_JSON_DEPTH): boolean {
  let level: unknown[] = [value];
  for (let depth = 0; level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const item of level) {
      if (typeof item === 'object' && item !== null) {
        if (depth >= max) {
          return true;
        }
        const children: unknown[] = Array.isArray(item) ? (item as unknown[]) : Object.values(item);
        for (const child of children) {
          next.push(child); // no spread: a 500 000-element array would overflow the argument limit
        }
      }
    }
    level = next;
  }
  return false;
}
