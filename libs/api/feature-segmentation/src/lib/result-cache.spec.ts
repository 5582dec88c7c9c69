import { ResultCache } from './result-cache';

describe('ResultCache', () => {
  it('answers only for the same fingerprint', () => {
    const c = new ResultCache<number>();
    c.set('run-1/k3', '100:5000', 42);
    expect(c.get('run-1/k3', '100:5000')).toBe(42);
    // One trajectory changed: another sum of transaction ids, so a miss, and the entry is gone.
    expect(c.get('run-1/k3', '100:5007')).toBeUndefined();
    expect(c.get('run-1/k3', '100:5000')).toBeUndefined();
    expect(c.get('other', '100:5000')).toBeUndefined();
  });

  it('keeps at most max entries, dropping the least recently used', () => {
    const c = new ResultCache<string>(2);
    c.set('a', 'f', 'A');
    c.set('b', 'f', 'B');
    expect(c.get('a', 'f')).toBe('A'); // a is now the most recently used
    c.set('c', 'f', 'C');
    expect(c.size).toBe(2);
    expect(c.get('b', 'f')).toBeUndefined();
    expect([c.get('a', 'f'), c.get('c', 'f')]).toEqual(['A', 'C']);
  });
});
