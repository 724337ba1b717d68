import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth.js';

const nested = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

describe('exceedsJsonDepth (issue 16 L6)', () => {
  it('accepts scalars, flat and nested bodies up to the bound', () => {
    expect(exceedsJsonDepth('x')).toBe(false);
    expect(exceedsJsonDepth({ a: 1, b: [1, 2, { c: null }] })).toBe(false);
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH))).toBe(false);
  });

  it('refuses one level more, and thousands of levels without overflowing the stack', () => {
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(exceedsJsonDepth({ a: { b: nested(MAX_JSON_DEPTH) } })).toBe(true);
    expect(exceedsJsonDepth(nested(100_000))).toBe(true);
  });

  it('walks very wide bodies without overflowing either', () => {
    expect(exceedsJsonDepth({ a: new Array<number>(600_000).fill(0) })).toBe(false);
  });
});
