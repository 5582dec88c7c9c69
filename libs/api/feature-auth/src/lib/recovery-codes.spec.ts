import {
  isRecoveryCode,
  matchRecoveryCode,
  newRecoveryCode,
  normaliseRecoveryCode,
  recoveryHash,
} from './recovery-codes';

describe('recovery codes', () => {
  it('are 10 signs of a 32-sign alphabet (50 bits), written xxxxx-xxxxx', () => {
    const codes = Array.from({ length: 200 }, newRecoveryCode);
    for (const c of codes) expect(c).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
    // 200 codes of 50 bits: a repeat would mean far less randomness than claimed.
    expect(new Set(codes).size).toBe(200);
    // Every one of the 32 signs turns up (4000 draws; a missing sign would be a biased alphabet).
    expect(new Set(codes.join('').replace(/-/g, '')).size).toBe(32);
  });

  it('reads what people type: any case, with or without the dash, o as 0 and i/l as 1', () => {
    expect(normaliseRecoveryCode(' AB0CD-1EFGH ')).toBe('ab0cd1efgh');
    expect(normaliseRecoveryCode('abocd-iefgh')).toBe('ab0cd1efgh');
    expect(normaliseRecoveryCode('ablcd-lefgh')).toBe('ab1cd1efgh');
    expect(isRecoveryCode('abcde-fghjk')).toBe(true);
    expect(isRecoveryCode('abcdefghjk')).toBe(true);
    expect(isRecoveryCode('abcd-efgh')).toBe(false);
  });

  it('are stored salted and slow (argon2id): the same code gives two different hashes, both matching', async () => {
    const code = newRecoveryCode();
    const [a, b] = [await recoveryHash(code), await recoveryHash(code)];
    expect(a.toString('utf8')).toMatch(/^\$argon2id\$/);
    expect(a.equals(b)).toBe(false);
    const other = await recoveryHash(newRecoveryCode());
    expect(await matchRecoveryCode(code.toUpperCase().replace('-', ''), [other, b])).toBe(b);
    expect(await matchRecoveryCode(newRecoveryCode(), [other, a])).toBeNull();
  });
});
