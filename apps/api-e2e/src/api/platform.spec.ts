import { call, expectError, login, PLATFORM } from '../support/http';

describe('platform endpoints', () => {
  it('reports PostgreSQL, Redis and the worker as up', async () => {
    // The worker writes its heartbeat when its first scheduled job runs.
    let health = await call('GET', '/api/health');
    for (let i = 0; i < 50 && health.body.checks?.worker?.status !== 'up'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      health = await call('GET', '/api/health');
    }
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    expect(health.body.checks.database.status).toBe('up');
    expect(health.body.checks.redis.status).toBe('up');
    expect(health.body.checks.worker.status).toBe('up');
    expect(Date.parse(health.body.checks.worker.lastSeenAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('sends security headers and a request id', async () => {
    const a = await call('GET', '/api/health', { headers: { 'x-request-id': 'trace-me-123' } });
    expect(a.headers.get('x-request-id')).toBe('trace-me-123');
    expect(a.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(a.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(a.headers.get('referrer-policy')).toBe('no-referrer');
    expect(a.headers.get('x-content-type-options')).toBe('nosniff');
    expect(a.headers.get('access-control-allow-origin')).toBeNull();
    const generated = await call('GET', '/api/health');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // helmet's middleware is built once at start (#26): every answer carries the same headers,
    // refusals and unknown paths included.
    for (const [path, status] of [
      ['/api/v1/clients', 401],
      ['/api/v1/no-such-path', 404],
    ] as const) {
      const r = await call('GET', path);
      expect(r.status).toBe(status);
      expect(r.headers.get('content-security-policy')).toBe(a.headers.get('content-security-policy'));
      expect(r.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('serves Prometheus metrics, including request timings by route pattern', async () => {
    await call('GET', '/api/v1/organisations/00000000-0000-4000-8000-000000000000');
    const a = await call('GET', '/api/metrics');
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toMatch(/text\/plain/);
    expect(a.text).toMatch(
      /klantmonitor_api_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/organisations\/:id",status="401"\} \d+/,
    );
    expect(a.text).not.toMatch(/00000000-0000-4000-8000-000000000000/);
    expect(a.text).toMatch(/klantmonitor_api_process_cpu_seconds_total/);
  });

  it('serves the OpenAPI document and its UI', async () => {
    const json = await call('GET', '/api/docs-json');
    expect(json.status).toBe(200);
    expect(json.body.info.title).toBe('Klantmonitor API');
    expect(Object.keys(json.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/organisations', '/api/v1/organisations/{id}/users']),
    );
    const ui = await call('GET', '/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toMatch(/swagger/i);
  });

  it('opens the queue dashboard to a platform admin with the sign-in cookie, and to nobody else', async () => {
    const signIn = await fetch(`${process.env['KM_E2E_BASE_URL']}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(PLATFORM),
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
    const page = await call('GET', '/api/admin/queues', { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<html/i);
    const queues = await call('GET', '/api/admin/queues/api/queues', { headers: { cookie } });
    expect(queues.status).toBe(200);
    expect(JSON.stringify(queues.body)).toMatch(/"name":"system"/);
    expectError(await call('GET', '/api/admin/queues', { headers: { cookie: 'km_admin=forged.token.value' } }), 401);
    expect(await login(PLATFORM.email, PLATFORM.password)).toBeTruthy();
  });

  // Security review (#11): the cookie was a full API token, lived as long, and Bull Board could
  // pause, retry and remove jobs.
  it('gives the queue dashboard its own short-lived, read-only credential that ends with the session', async () => {
    const signIn = await fetch(`${process.env['KM_E2E_BASE_URL']}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(PLATFORM),
    });
    const { accessToken } = await signIn.json();
    const setCookie = signIn.headers.get('set-cookie') ?? '';
    expect(Number(/Max-Age=(\d+)/.exec(setCookie)?.[1])).toBeLessThanOrEqual(15 * 60);
    const cookie = setCookie.split(';')[0];
    const cookieToken = cookie.split('=')[1];
    expect(cookieToken).not.toBe(accessToken);
    // Not an API token.
    expectError(await call('GET', '/api/v1/me', { token: cookieToken }), 401);
    // Read-only: looking works, changing does not.
    expect((await call('GET', '/api/admin/queues/api/queues', { headers: { cookie } })).status).toBe(200);
    const pause = await call('PUT', '/api/admin/queues/api/queues/system/pause', { headers: { cookie } });
    expect(pause.status).toBe(405);
    // Signing out ends it too.
    expect((await call('POST', '/api/v1/auth/logout', { token: accessToken })).status).toBe(204);
    expectError(await call('GET', '/api/admin/queues/api/queues', { headers: { cookie } }), 401);
  });

  it('answers unknown API paths with the JSON error shape', async () => {
    const e = expectError(await call('GET', '/api/v1/does-not-exist'), 404);
    expect(e.error).toBe('Not Found');
  });
});
