/**
 * Password rules (docs/api.md "Passwords"): at least 12 characters, not the e-mail address, not a
 * common password. Twelve characters already rule out almost every entry of the public lists of
 * leaked passwords; what remains are the long ones people still choose, listed below, and
 * passwords made of one repeated character or one straight run of keys.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

const COMMON = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456789123',
  '098765432109',
  '111111111111',
  'password1234',
  'password12345',
  'password123456',
  'passwordpassword',
  'wachtwoord12',
  'wachtwoord123',
  'wachtwoord1234',
  'wachtwoordwachtwoord',
  'welkom123456',
  'welkomwelkom',
  'qwertyuiop12',
  'qwertyuiop123',
  'qwerty123456',
  'qwertyqwerty',
  'azertyuiop12',
  'iloveyou1234',
  'letmein12345',
  'administrator',
  'administrator1',
  'klantmonitor',
  'klantmonitor1',
  'schuldhulpverlening',
  'abcdefghijkl',
  'abc123abc123',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'zaq12wsxcde3',
  'princess1234',
  'sunshine1234',
  'football1234',
  'monkey123456',
  'dragon123456',
  'baseball1234',
  'superman1234',
  'trustno1trustno1',
  'changeme1234',
  'voorjaar2026',
  'zomer2026zomer',
  'winter2026!!',
]);

const ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'abcdefghijklmnopqrstuvwxyz'];

/** Why a new password is refused (for the `password` field), or null when it is fine. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  const e = email.toLowerCase();
  if (lower === e || lower === e.split('@')[0]) return 'must not be your e-mail address';
  if (COMMON.has(lower)) return 'is too common: choose another';
  if (new Set(lower).size === 1) return 'is too common: choose another';
  for (const row of ROWS) {
    if (row.includes(lower) || [...row].reverse().join('').includes(lower)) return 'is too common: choose another';
  }
  return null;
}
