import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  const email = 'sanne@noordoost.nl';
  it('accepts a long, uncommon password', () => {
    expect(passwordProblem('paars-fiets-op-de-dijk', email)).toBeNull();
  });
  it('names each rule that is broken', () => {
    expect(passwordProblem('kort-123', email)).toBe('must be at least 12 characters');
    expect(passwordProblem('x'.repeat(201), email)).toBe('must be at most 200 characters');
    expect(passwordProblem('Sanne@NoordOost.nl', email)).toBe('must not be your e-mail address');
    expect(passwordProblem('Wachtwoord1234', email)).toBe('is too common: choose another');
    expect(passwordProblem('aaaaaaaaaaaaaa', email)).toBe('is too common: choose another');
    expect(passwordProblem('qwertyuiop', 'a@b.nl')).toBe('must be at least 12 characters');
    expect(passwordProblem('abcdefghijklmnop', email)).toBe('is too common: choose another');
    expect(passwordProblem('ponmlkjihgfedcba', email)).toBe('is too common: choose another');
  });
});
