import { jsonDepthExceeds } from './json-depth';

describe('jsonDepthExceeds', () => {
  it('counts nesting levels of arrays and objects; scalars add none', () => {
    // {"a":[{"b":1}]}: object (1) > array (2) > object (3).
    const three = { a: [{ b: 1 }] };
    expect(jsonDepthExceeds(three, 3)).toBe(false);
    expect(jsonDepthExceeds(three, 2)).toBe(true);
    expect(jsonDepthExceeds('text', 0)).toBe(false);
    expect(jsonDepthExceeds(null, 0)).toBe(false);
    expect(jsonDepthExceeds([], 1)).toBe(false);
    expect(jsonDepthExceeds([[]], 1)).toBe(true);
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    expect(jsonDepthExceeds(deep, 32)).toBe(true);
    // A wide but shallow body is fine: 10,000 siblings at depth 2.
    expect(
      jsonDepthExceeds(
        Array.from({ length: 10_000 }, (_, i) => ({ i })),
        2,
      ),
    ).toBe(false);
  });
});
