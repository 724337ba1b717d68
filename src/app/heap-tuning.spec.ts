import { collectStartupGarbage, HEAP_GROWING_PERCENT, limitHeapGrowth } from './heap-tuning.js';

describe('heap tuning (issue 18)', () => {
  it('sets V8 heap growing to 1.25 unless the operator passed their own flag', () => {
    expect(HEAP_GROWING_PERCENT).toBe(25);
    expect(limitHeapGrowth([])).toBe('--heap-growing-percent=25');
    expect(limitHeapGrowth(['--max-semi-space-size=4'])).toBe('--heap-growing-percent=25');
    expect(limitHeapGrowth(['--heap-growing-percent=60'])).toBeUndefined();
    expect(limitHeapGrowth(['--heap_growing_percent=60'])).toBeUndefined();
  });

  it('collects start-up garbage without exposing gc on the global object', () => {
    const before = (globalThis as { gc?: unknown }).gc;
    expect(() => collectStartupGarbage()).not.toThrow();
    expect((globalThis as { gc?: unknown }).gc).toBe(before);
  });
});
