import { VerifiedTokens } from './verified-tokens';

interface Claims {
  sub: string;
  exp?: unknown;
}

describe('VerifiedTokens', () => {
  it('answers the claims of a kept token until the second of its expiry, then forgets it', () => {
    const tokens = new VerifiedTokens<Claims>();
    const claims = { sub: 'a', exp: 1_000 };
    tokens.set('t1', 'api', claims);
    expect(tokens.get('t1', 'api', 999)).toBe(claims);
    // jsonwebtoken refuses a token when now >= exp: so does the cache, and it drops the entry.
    expect(tokens.get('t1', 'api', 1_000)).toBeUndefined();
    expect(tokens.size).toBe(0);
    expect(tokens.get('t1', 'api', 999)).toBeUndefined();
  });

  it('keeps a token per audience: verified for one, unknown for the other', () => {
    const tokens = new VerifiedTokens<Claims>();
    tokens.set('t1', 'klantmonitor-api', { sub: 'a', exp: 2_000 });
    expect(tokens.get('t1', 'klantmonitor-queues', 1_000)).toBeUndefined();
    expect(tokens.get('t1', 'klantmonitor-api', 1_000)?.sub).toBe('a');
    // A string that only differs in where the audience ends is another key.
    expect(tokens.get('api t1', 'klantmonitor', 1_000)).toBeUndefined();
  });

  it('does not keep a token without a numeric expiry (it would never be checked again)', () => {
    const tokens = new VerifiedTokens<Claims>();
    tokens.set('no-exp', 'api', { sub: 'a' });
    tokens.set('text-exp', 'api', { sub: 'a', exp: '2000' });
    tokens.set('inf-exp', 'api', { sub: 'a', exp: Infinity });
    expect(tokens.size).toBe(0);
    expect(tokens.get('no-exp', 'api', 0)).toBeUndefined();
  });

  it('holds at most `max` tokens: the oldest goes first', () => {
    const tokens = new VerifiedTokens<Claims>(3);
    for (const t of ['t1', 't2', 't3', 't4']) tokens.set(t, 'api', { sub: t, exp: 10 });
    expect(tokens.size).toBe(3);
    expect(tokens.get('t1', 'api', 0)).toBeUndefined();
    expect(['t2', 't3', 't4'].map((t) => tokens.get(t, 'api', 0)?.sub)).toEqual(['t2', 't3', 't4']);
    // Setting a kept token again takes no place of another.
    tokens.set('t4', 'api', { sub: 't4', exp: 20 });
    expect(tokens.size).toBe(3);
    expect(tokens.get('t2', 'api', 0)?.sub).toBe('t2');
  });
});
