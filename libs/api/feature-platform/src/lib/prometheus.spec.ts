import { metricsAllowed } from './prometheus';

describe('metricsAllowed', () => {
  it('without METRICS_TOKEN: only callers on this host (by socket address)', () => {
    expect(metricsAllowed(undefined, undefined, '127.0.0.1')).toBe(true);
    expect(metricsAllowed(undefined, undefined, '::1')).toBe(true);
    expect(metricsAllowed(undefined, undefined, '::ffff:127.0.0.1')).toBe(true);
    expect(metricsAllowed(undefined, undefined, '203.0.113.5')).toBe(false);
    expect(metricsAllowed(undefined, 'Bearer anything', '10.0.0.2')).toBe(false);
    expect(metricsAllowed(undefined, undefined, undefined)).toBe(false);
  });

  it('with METRICS_TOKEN: the token, from anywhere; loopback alone is not enough', () => {
    const token = 'a-metrics-token-of-16+';
    expect(metricsAllowed(token, `Bearer ${token}`, '203.0.113.5')).toBe(true);
    expect(metricsAllowed(token, undefined, '127.0.0.1')).toBe(false);
    expect(metricsAllowed(token, `Bearer ${token}x`, '127.0.0.1')).toBe(false);
  });
});
