import type { IncomingMessage } from 'node:http';
import { redactUrl, requestId } from './logging';

describe('logging helpers', () => {
  it('keeps questionnaire tokens out of logged URLs', () => {
    expect(redactUrl('/api/v1/respond/abcDEF123_-x?x=1')).toBe('/api/v1/respond/[token]?x=1');
    expect(redactUrl('/v/abcDEF123_-x')).toBe('/v/[token]');
    expect(redactUrl('/api/v1/client-portal/abcDEF123_-x?lang=en')).toBe('/api/v1/client-portal/[token]?lang=en');
    expect(redactUrl('/mijn/abcDEF123_-x')).toBe('/mijn/[token]');
    expect(redactUrl('/api/v1/clients/42')).toBe('/api/v1/clients/42');
  });

  it('keeps welcome and reset tokens and the sign-in codes of single sign-on out too (#22)', () => {
    expect(redactUrl('/welkom/abcDEF123_-x')).toBe('/welkom/[token]');
    expect(redactUrl('/wachtwoord/abcDEF123_-x')).toBe('/wachtwoord/[token]');
    // The page to ask for a reset link has no token.
    expect(redactUrl('/wachtwoord-vergeten')).toBe('/wachtwoord-vergeten');
    expect(redactUrl('/inloggen?sso=abcDEF123_-x')).toBe('/inloggen?sso=[redacted]');
    expect(redactUrl('/inloggen?sso_error=domain')).toBe('/inloggen?sso_error=domain');
    expect(redactUrl('/api/v1/auth/oidc/callback?code=c0de&state=st4te&iss=https%3A%2F%2Fidp')).toBe(
      '/api/v1/auth/oidc/callback?code=[redacted]&state=[redacted]&iss=https%3A%2F%2Fidp',
    );
    expect(redactUrl('/x?token=t&STATE=s#f')).toBe('/x?token=[redacted]&STATE=[redacted]#f');
  });

  it('accepts a sane X-Request-Id and replaces anything else', () => {
    const ok = { headers: { 'x-request-id': 'abc-123' } } as unknown as IncomingMessage;
    expect(requestId(ok)).toBe('abc-123');
    const bad = { headers: { 'x-request-id': 'a b\nc' } } as unknown as IncomingMessage;
    expect(requestId(bad)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
