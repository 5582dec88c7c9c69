import { call } from '../support/http';

/** Routes that are open on purpose. Anything else in the OpenAPI document must refuse a call without a token. */
// The questionnaire link is public by design: its token is the key (404 unknown, 429 when guessed at).
// So are the links of an invitation and a forgotten password, and asking for the latter.
const PUBLIC = new Set([
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'GET /api/v1/respond/{token}',
  'GET /api/v1/client-portal/{token}',
  'POST /api/v1/auth/oidc/check',
  'POST /api/v1/auth/oidc/exchange',
  'POST /api/v1/respond/{token}',
  'POST /api/v1/auth/password/forgot',
  'POST /api/v1/auth/password/reset',
  'POST /api/v1/auth/invitation/accept',
]);

describe('every endpoint is guarded', () => {
  it('answers 401 without a token on every documented route that is not public', async () => {
    const doc = await call<{ paths: Record<string, Record<string, unknown>> }>('GET', '/api/docs-json');
    expect(doc.status).toBe(200);
    const routes = Object.entries(doc.body.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path })),
    );
    expect(routes.length).toBeGreaterThanOrEqual(9);
    const open: string[] = [];
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      if (PUBLIC.has(key)) continue;
      const concrete = r.path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      const a = await call(r.method, concrete, r.method === 'GET' ? {} : { body: {} });
      if (a.status !== 401) open.push(`${key} -> ${a.status}`);
    }
    expect(open).toEqual([]);
    // Every public route exists, so this list cannot silently go stale.
    for (const p of PUBLIC) expect(routes.map((r) => `${r.method} ${r.path}`)).toContain(p);
  });
});
