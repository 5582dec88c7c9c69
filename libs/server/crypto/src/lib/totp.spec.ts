import { newTotpSecret, totpCode, totpStep, totpUri } from './totp';

// RFC 6238 appendix B: the SHA1 seed is the ASCII string "12345678901234567890"; its published
// 8-digit values end in the 6 digits an authenticator shows (the code is the value mod 10^6).
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // base32 of "12345678901234567890"
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
];

describe('TOTP', () => {
  it('gives the codes of RFC 6238 appendix B', () => {
    for (const [seconds, eight] of RFC_VECTORS) expect(totpCode(RFC_SECRET, seconds * 1000)).toBe(eight.slice(2));
  });

  it('accepts a code in its own step and one step either side, and names that step', () => {
    const t = 1111111111 * 1000; // step 37037037 (1111111111 / 30 = 37037037.03)
    const code = totpCode(RFC_SECRET, t);
    expect(totpStep(RFC_SECRET, code, t)).toBe(37037037);
    expect(totpStep(RFC_SECRET, code, t + 30_000)).toBe(37037037); // typed a step later
    expect(totpStep(RFC_SECRET, code, t - 30_000)).toBe(37037037); // clock a step behind
    expect(totpStep(RFC_SECRET, code, t + 60_000)).toBeNull(); // two steps: too late
  });

  it('refuses anything but six right digits', () => {
    const t = 59_000;
    for (const bad of ['', '28708', '2870822', '28708a', ' 287082', '000000'])
      expect(totpStep(RFC_SECRET, bad, t)).toBeNull();
    expect(totpStep(RFC_SECRET, '287082', t)).toBe(1);
  });

  it('makes 160-bit secrets and otpauth links an authenticator app reads', () => {
    const a = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/); // 20 bytes = 32 base32 characters
    expect(newTotpSecret()).not.toBe(a);
    const uri = new URL(totpUri(a, 'ann@example.nl'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(a);
    expect(uri.searchParams.get('issuer')).toBe('Klantmonitor');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
    expect(decodeURIComponent(uri.pathname)).toContain('ann@example.nl');
  });
});
