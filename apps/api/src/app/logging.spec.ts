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

  it('accepts a sane X-Request-Id and replaces anything else', () => {
    const ok = { headers: { 'x-request-id': 'abc-123' } } as unknown as IncomingMessage;
    expect(requestId(ok)).toBe('abc-123');
    const bad = { headers: { 'x-request-id': 'a b\nc' } } as unknown as IncomingMessage;
    expect(requestId(bad)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
