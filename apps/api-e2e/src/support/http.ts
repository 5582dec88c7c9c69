import { randomUUID } from 'node:crypto';
import type { ApiError, Role } from '@klantmonitor/shared/domain';

export const baseUrl = () => process.env['KM_E2E_BASE_URL'] as string;

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

/** One HTTP call to the running api. `body` objects are sent as JSON; strings are sent as they are. */
export async function call<T = any>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${baseUrl()}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed as T, headers: res.headers, text };
}

export function expectError(a: Answer, status: number): ApiError {
  expect(a.status).toBe(status);
  const e = a.body as ApiError;
  expect(e.statusCode).toBe(status);
  expect(typeof e.message).toBe('string');
  expect(typeof e.error).toBe('string');
  return e;
}

/** Each login comes from its own address (X-Forwarded-For is not trusted, so we vary e-mail instead). */
export async function login(email: string, password: string): Promise<string> {
  const a = await call<{ accessToken: string }>('POST', '/api/v1/auth/login', { body: { email, password } });
  if (a.status !== 200) throw new Error(`login ${email} failed: ${a.status} ${a.text}`);
  return a.body.accessToken;
}

export const PLATFORM = { email: 'platform@klantmonitor.test', password: 'platform-password-e2e' };
export const PASSWORD = 'a-good-long-password';

export interface World {
  tokens: Record<Role, string> & { orgBAdmin: string; orgBCounselor: string };
  orgA: { id: string; name: string };
  orgB: { id: string; name: string };
  users: Record<string, string>;
}

/** Two organisations with one user per role each, made through the API itself. */
export async function makeWorld(tag = randomUUID().slice(0, 8)): Promise<World> {
  const platform = await login(PLATFORM.email, PLATFORM.password);
  const mk = async (name: string, municipalities: string[]) => {
    const a = await call<{ id: string; name: string }>('POST', '/api/v1/organisations', {
      token: platform,
      body: { name, municipalities },
    });
    if (a.status !== 201) throw new Error(`create org: ${a.status} ${a.text}`);
    return a.body;
  };
  const orgA = await mk(`Org A ${tag}`, ['GM0344', 'GM0546']);
  const orgB = await mk(`Org B ${tag}`, ['GM0080']);
  const users: Record<string, string> = {};
  const mkUser = async (orgId: string, role: string, key: string) => {
    const email = `${key}-${tag}@example.nl`.toLowerCase();
    const a = await call<{ id: string }>('POST', `/api/v1/organisations/${orgId}/users`, {
      token: platform,
      body: { email, password: PASSWORD, role, name: key },
    });
    if (a.status !== 201) throw new Error(`create user: ${a.status} ${a.text}`);
    users[key] = a.body.id;
    return login(email, PASSWORD);
  };
  const tokens = {
    platform_admin: platform,
    org_admin: await mkUser(orgA.id, 'org_admin', 'aAdmin'),
    counselor: await mkUser(orgA.id, 'counselor', 'aCounselor'),
    policy_advisor: await mkUser(orgA.id, 'policy_advisor', 'aPolicy'),
    orgBAdmin: await mkUser(orgB.id, 'org_admin', 'bAdmin'),
    orgBCounselor: await mkUser(orgB.id, 'counselor', 'bCounselor'),
  };
  return { tokens, orgA, orgB, users };
}

/** A counselor in the world's organisation A, made by its admin and signed in (an account of its own). */
export async function newColleague(
  world: World,
  email: string,
  name?: string,
): Promise<{ email: string; id: string; token: string }> {
  const r = await call<{ id: string }>('POST', `/api/v1/organisations/${world.orgA.id}/users`, {
    token: world.tokens.org_admin,
    body: { email, password: PASSWORD, role: 'counselor', ...(name ? { name } : {}) },
  });
  expect(r.status).toBe(201);
  return { email, id: r.body.id, token: await login(email, PASSWORD) };
}

/** Polls `probe` every 150 ms until it gives a truthy value (returned), or fails naming `what`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 20000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** A CSV file uploaded as a multipart form (imports): the status and the JSON answer. */
export async function uploadCsv(path: string, token: string, text: string, filename = 'file.csv') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(Buffer.from(text, 'utf8'))]), filename);
  const res = await fetch(`${baseUrl()}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, body: await res.json() };
}
