import { randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from '@klantmonitor/server/crypto';

/** Recovery codes per set. */
export const RECOVERY_CODES = 10;

/**
 * 32 signs (Crockford's base32, lower case): no i, l, o or u, so nothing is mistaken for another;
 * what people type for them is read as the sign they meant (o as 0, i and l as 1).
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A typed recovery code: 10 signs, with or without the dash in the middle, any case. */
export const RECOVERY_CODE_PATTERN = /^[A-Za-z0-9]{5}-?[A-Za-z0-9]{5}$/;

/** xxxxx-xxxxx: 10 signs of 5 bits each, 50 bits (#22; was about 40). */
export function newRecoveryCode(): string {
  const chars = [...randomBytes(10)].map((b) => ALPHABET[b & 31]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export function isRecoveryCode(code: string): boolean {
  return RECOVERY_CODE_PATTERN.test(code.trim());
}

/** The code as it is hashed: lower case, no dash, o read as 0 and i, l as 1. */
export function normaliseRecoveryCode(code: string): string {
  return code.trim().toLowerCase().replace('-', '').replace(/o/g, '0').replace(/[il]/g, '1');
}

/** Stored as argon2id (salted, slow), like passwords; the hash text as bytes. */
export async function recoveryHash(code: string): Promise<Buffer> {
  return Buffer.from(await hashPassword(normaliseRecoveryCode(code)), 'utf8');
}

/** Which stored hash (of the unused ones) this typed code matches, or null. */
export async function matchRecoveryCode(code: string, hashes: Buffer[]): Promise<Buffer | null> {
  const typed = normaliseRecoveryCode(code);
  const matches = await Promise.all(hashes.map((h) => verifyPassword(h.toString('utf8'), typed)));
  const at = matches.indexOf(true);
  return at < 0 ? null : hashes[at];
}
