import { Secret, TOTP } from 'otpauth';

/**
 * Time-based one-time passwords for staff (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps), the
 * kind every authenticator app reads from an otpauth:// link or its QR code. The otpauth library
 * does the arithmetic; this fixes the parameters and turns a code into the time step it belongs
 * to, so the caller can refuse a step that was used before (a code works once).
 */
export const TOTP_PERIOD_SECONDS = 30;
/** Codes of the step before and after are accepted too (clocks drift; typing takes time). */
export const TOTP_WINDOW = 1;
const ISSUER = 'Klantmonitor';

function totp(secretBase32: string, label = ''): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new random secret (160 bits, as RFC 4226 recommends), in base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// link an authenticator app takes (as text or as QR code). */
export function totpUri(secretBase32: string, account: string): string {
  return totp(secretBase32, account).toString();
}

/**
 * The time step of `code` if it is right at `nowMs` (within one step either side), else null.
 * Anything but six digits is simply wrong.
 */
export function totpStep(secretBase32: string, code: string, nowMs = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secretBase32).validate({ token: code, timestamp: nowMs, window: TOTP_WINDOW });
  return delta === null ? null : Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS) + delta;
}

/** The code for a moment (tests, and the browser test's "authenticator app"). */
export function totpCode(secretBase32: string, nowMs = Date.now()): string {
  return totp(secretBase32).generate({ timestamp: nowMs });
}
