import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's old generation grows by this factor over the live size between full GCs (1 + percent / 100). */
export const HEAP_GROWING_PERCENT = 25;

/**
 * Caps how far V8 lets the old generation grow past what is live before its next full GC (issue 18).
 * V8 picks a factor between 1.1 and 4 from its GC and allocation speeds; on a token server, whose live heap
 * stays ~55 MB, 4 meant ~120 MB of old space and 277 MB resident under refresh load. At 1.25 the same load
 * stays under 185 MB (docs/bench.md, "Round 3") with the throughput unchanged within the noise. V8 reads the
 * flag at every GC, so setting it at start applies. An operator's own `--heap-growing-percent` wins.
 */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): string | undefined {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) {
    return undefined;
  }
  const flag = `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
  setFlagsFromString(flag);
  return flag;
}

/**
 * Two full garbage collections once the listeners are up (issue 18). Start-up leaves ~20 MB of garbage in
 * the old generation (module compilation, Nest's module scan, TypeORM's metadata, Fastify's schemas) that
 * V8 would otherwise keep until a major GC under load, or its idle memory reducer much later; the second
 * collection lets V8 release the emptied pages. `--expose-gc` set at run time exposes `gc` only to contexts
 * created afterwards: it is taken from a fresh context and never appears on this one's global object.
 */
export function collectStartupGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  gc?.();
  gc?.();
}
