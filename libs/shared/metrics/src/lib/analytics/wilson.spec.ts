import { wilson } from './wilson';

describe('Wilson score interval', () => {
  // Published values: Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (score, no correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0.0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i of %i gives [%f, %f]', (k, n, low, high) => {
    const ci = wilson(k, n);
    expect(ci?.low).toBeCloseTo(low, 4);
    expect(ci?.high).toBeCloseTo(high, 4);
  });

  it('has no interval without observations, and stays within [0, 1] at the ends', () => {
    expect(wilson(0, 0)).toBeNull();
    expect(wilson(0, 3)?.low).toBe(0);
    expect(wilson(3, 3)?.high).toBe(1);
  });
});
