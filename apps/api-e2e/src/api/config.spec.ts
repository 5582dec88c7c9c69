import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const API_MAIN = join(__dirname, '..', '..', '..', '..', 'dist', 'apps', 'api', 'main.js');

function start(env: Record<string, string>, command: 'serve' | 'migrate' = 'serve') {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(DATABASE|REDIS|KM_|JWT|NODE_ENV|PORT)/.test(k)),
  );
  return spawnSync(process.execPath, [API_MAIN, command], {
    env: { ...clean, ...env } as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: 20000,
  });
}

describe('configuration is validated at start-up', () => {
  const base = JSON.parse(process.env['KM_E2E_ENV'] as string) as Record<string, string>;

  it('stops with exit code 78 and names each missing variable', () => {
    const r = start({});
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/DATABASE_URL: is required/);
    expect(r.stderr).toMatch(/REDIS_URL: is required/);
  });

  it('refuses demo mode and the demo password in production', () => {
    const r = start({ ...base, NODE_ENV: 'production', KM_DEMO: 'true', KM_ADMIN_PASSWORD: 'klantmonitor' });
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/DATA_ENCRYPTION_KEY: is required in production/);
    expect(r.stderr).toMatch(/KM_DEMO: demo mode is not allowed in production/);
    // The api holds no admin password at all in production (#22); migrate refuses the demo one.
    expect(r.stderr).toMatch(/KM_ADMIN_PASSWORD: is for the migrate step only/);
    const m = start({ ...base, NODE_ENV: 'production', KM_ADMIN_PASSWORD: 'klantmonitor' }, 'migrate');
    expect(m.status).toBe(78);
    expect(m.stderr).toMatch(/KM_ADMIN_PASSWORD: is the demo password/);
  });

  it('names an invalid value', () => {
    const r = start({ ...base, PORT: 'abc' });
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/PORT:/);
  });
});
