// The depth bound on JSON from outside: measured without recursion, on values and on text.
import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth, exceedsJsonTextDepth, MAX_JSON_DEPTH } from '../../src/json-depth.js';

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { a: v };
  return v;
}

describe('exceedsJsonDepth', () => {
  it('counts objects and arrays; scalars are depth 0', () => {
    expect(exceedsJsonDepth('text', 0)).toBe(false);
    expect(exceedsJsonDepth(null, 0)).toBe(false);
    expect(exceedsJsonDepth({}, 0)).toBe(true);
    expect(exceedsJsonDepth({}, 1)).toBe(false);
    expect(exceedsJsonDepth({ a: [1, { b: 2 }] }, 3)).toBe(false);
    expect(exceedsJsonDepth({ a: [1, { b: [] }] }, 3)).toBe(true);
  });

  it('the bound itself passes, one more fails', () => {
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH + 1))).toBe(true);
  });

  it('1,000,000 levels: no stack overflow', () => {
    expect(exceedsJsonDepth(JSON.parse(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`))).toBe(true);
  });

  it('a wide value is measured by depth, not size', () => {
    expect(
      exceedsJsonDepth(
        Array.from({ length: 100_000 }, (_, i) => ({ i })),
        2,
      ),
    ).toBe(false);
  });
});

describe('exceedsJsonTextDepth', () => {
  it('brackets inside strings (escaped quotes included) do not count', () => {
    const inString = JSON.stringify({ s: `\\"${'['.repeat(1000)}` });
    expect(exceedsJsonTextDepth(inString, 5)).toBe(false);
    expect(exceedsJsonTextDepth(JSON.stringify(nested(10)), 9)).toBe(true);
    expect(exceedsJsonTextDepth(JSON.stringify(nested(10)), 10)).toBe(false);
  });

  it('agrees with the value check at the bound', () => {
    expect(exceedsJsonTextDepth(JSON.stringify(nested(MAX_JSON_DEPTH)))).toBe(false);
    expect(exceedsJsonTextDepth(JSON.stringify(nested(MAX_JSON_DEPTH + 1)))).toBe(true);
  });
});
