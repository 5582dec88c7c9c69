import { randomBytes } from 'node:crypto';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords';
import { SecretBox } from './secret-box';

describe('passwords', () => {
  it('hashes with argon2id and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'Correct horse battery')).toBe(false);
  });

  it('treats a malformed hash as a mismatch', async () => {
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
    expect(await verifyAgainstDummy('x')).toBe(false);
  });
});

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips and never repeats a ciphertext', () => {
    const a = box.seal('jan@example.nl');
    const b = box.seal('jan@example.nl');
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('jan@example.nl'))).toBe(false);
    expect(box.open(a)).toBe('jan@example.nl');
  });

  it('refuses tampered data and another key', () => {
    const sealed = box.seal('06-12345678');
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => box.open(tampered)).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
    expect(() => box.open(Buffer.alloc(5))).toThrow('Unknown sealed-data format');
  });

  it('needs a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow();
  });
});
