import { ConfigError, DEMO_PASSWORD, loadConfig, type ProcessPurpose } from './config';

const base = {
  NODE_ENV: 'development',
  DATABASE_URL: 'postgres://app:pw@127.0.0.1:5432/klantmonitor',
  REDIS_URL: 'redis://127.0.0.1:6379',
};
const productionBase = {
  ...base,
  NODE_ENV: 'production',
  JWT_SECRET: 'x'.repeat(40),
  DATA_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  PUBLIC_URL: 'https://klantmonitor.example.nl',
};

function problemsOf(env: Record<string, string>, purpose: ProcessPurpose = 'serve'): string[] {
  try {
    loadConfig(env, purpose);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `${p.variable}: ${p.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills documented defaults for development', () => {
    const c = loadConfig(base);
    expect(c.port).toBe(3000);
    expect(c.database.adminUrl).toBe(base.DATABASE_URL);
    expect(c.jwt.ttlSeconds).toBe(1800);
    expect(c.encryptionKey).toHaveLength(32);
    expect(c.admin).toBeUndefined();
    expect(c.publicUrl).toBe('http://localhost:3000');
  });

  it('trusts X-Forwarded-For only from a number of proxies or from named addresses, never from anyone', () => {
    expect(loadConfig(base).trustProxy).toBe(false);
    expect(loadConfig({ ...base, TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ ...base, TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ ...base, TRUST_PROXY: '172.16.0.0/12, 10.1.2.3' }).trustProxy).toBe('172.16.0.0/12,10.1.2.3');
    expect(loadConfig({ ...base, TRUST_PROXY: 'loopback,fd00::/8' }).trustProxy).toBe('loopback,fd00::/8');
    for (const bad of ['true', 'yes', '11', '10.0.0.0/33', '10.0.0', 'proxy.example.nl', '1.2.3.4/8/1'])
      expect(problemsOf({ ...base, TRUST_PROXY: bad })).toEqual([
        expect.stringMatching(/^TRUST_PROXY: must be false, the number of proxies/),
      ]);
  });

  it('uses the built-in (public) secrets only when NODE_ENV says development or test', () => {
    const { NODE_ENV: _dev, ...unset } = base;
    expect(problemsOf(unset)).toEqual([
      'JWT_SECRET: is required unless NODE_ENV is development or test (the built-in one is public)',
      'DATA_ENCRYPTION_KEY: is required unless NODE_ENV is development or test (the built-in one is public)',
    ]);
    const own = { ...unset, JWT_SECRET: 'y'.repeat(40), DATA_ENCRYPTION_KEY: Buffer.alloc(32, 2).toString('base64') };
    expect(loadConfig(own).jwt.secret).toBe('y'.repeat(40));
    expect(loadConfig({ ...base, NODE_ENV: 'test' }).jwt.secret).toHaveLength(50);
  });

  it('names every missing required variable', () => {
    expect(problemsOf({})).toEqual(['DATABASE_URL: is required', 'REDIS_URL: is required']);
  });

  it('names invalid values', () => {
    const problems = problemsOf({ ...base, PORT: 'eighty', REDIS_URL: 'http://x', KM_DEMO: 'maybe' });
    expect(problems).toHaveLength(3);
    expect(problems.find((p) => p.startsWith('PORT:'))).toBeDefined();
    expect(problems).toContain('REDIS_URL: must be a redis:// URL');
    expect(problems).toContain('KM_DEMO: must be true or false');
  });

  it('keeps contact data 90 days after the end unless told otherwise, between 0 and 3650', () => {
    expect(loadConfig(base).contactRetentionDays).toBe(90);
    expect(loadConfig({ ...base, CONTACT_RETENTION_DAYS: '0' }).contactRetentionDays).toBe(0);
    for (const bad of ['-1', '3651', '30.5', 'soon']) {
      expect(problemsOf({ ...base, CONTACT_RETENTION_DAYS: bad }).map((p) => p.split(':')[0])).toEqual([
        'CONTACT_RETENTION_DAYS',
      ]);
    }
  });

  it('rejects a short encryption key', () => {
    expect(problemsOf({ ...base, DATA_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })).toEqual([
      'DATA_ENCRYPTION_KEY: must be 32 bytes, base64-encoded',
    ]);
  });

  it('gives demo mode the documented platform admin', () => {
    const c = loadConfig({ ...base, KM_DEMO: 'true' });
    expect(c.admin).toEqual({ email: 'admin@klantmonitor.local', password: DEMO_PASSWORD });
  });

  it('refuses missing secrets, demo mode and the demo password in production', () => {
    expect(problemsOf({ ...base, NODE_ENV: 'production' })).toEqual([
      'JWT_SECRET: is required in production',
      'DATA_ENCRYPTION_KEY: is required in production',
      'PUBLIC_URL: is required in production',
    ]);
    expect(problemsOf({ ...productionBase, KM_DEMO: 'true' })).toContain(
      'KM_DEMO: demo mode is not allowed in production',
    );
    expect(
      problemsOf({ ...productionBase, KM_ADMIN_EMAIL: 'ops@example.nl', KM_ADMIN_PASSWORD: DEMO_PASSWORD }, 'migrate'),
    ).toEqual(['KM_ADMIN_PASSWORD: is the demo password']);
  });

  it("gives the schema owner's URL to the migrate step only, in production", () => {
    const withAdmin = { ...productionBase, DATABASE_ADMIN_URL: 'postgres://owner:secret@127.0.0.1:5432/klantmonitor' };
    expect(loadConfig(withAdmin, 'migrate').database.adminUrl).toBe(withAdmin.DATABASE_ADMIN_URL);
    for (const [purpose, who] of [
      ['serve', 'api'],
      ['worker', 'worker'],
    ] as const) {
      let problems: string[] = [];
      try {
        loadConfig(withAdmin, purpose);
      } catch (e) {
        problems = (e as ConfigError).problems.map((p) => `${p.variable}: ${p.message}`);
      }
      expect(problems).toEqual([
        `DATABASE_ADMIN_URL: is for the migrate step only; the ${who} must not hold the schema owner's password`,
      ]);
    }
    // #22: nor the platform admin's first password (only migrate creates the account).
    const withPassword = {
      ...productionBase,
      KM_ADMIN_EMAIL: 'ops@example.nl',
      KM_ADMIN_PASSWORD: 'a-long-passphrase',
    };
    expect(loadConfig(withPassword, 'migrate').admin?.email).toBe('ops@example.nl');
    for (const purpose of ['serve', 'worker'] as const)
      expect(problemsOf(withPassword, purpose)).toEqual([
        'KM_ADMIN_PASSWORD: is for the migrate step only (it creates the platform admin); leave it out of the api and worker',
      ]);
    // Outside production (tests, the demo) one environment may serve every step.
    expect(loadConfig({ ...base, DATABASE_ADMIN_URL: withAdmin.DATABASE_ADMIN_URL }, 'worker').database.url).toBe(
      base.DATABASE_URL,
    );
  });

  it('requires two-step verification of platform admins in production, and lets it be chosen elsewhere', () => {
    expect(loadConfig(productionBase).platformAdminTotpRequired).toBe(true);
    expect(problemsOf({ ...productionBase, PLATFORM_ADMIN_TOTP: 'false' })).toEqual([
      'PLATFORM_ADMIN_TOTP: cannot be turned off in production',
    ]);
    expect(loadConfig(base).platformAdminTotpRequired).toBe(false);
    expect(loadConfig({ ...base, PLATFORM_ADMIN_TOTP: 'true' }).platformAdminTotpRequired).toBe(true);
    expect(problemsOf({ ...base, PLATFORM_ADMIN_TOTP: 'yes' })).toEqual(['PLATFORM_ADMIN_TOTP: must be true or false']);
  });

  it('accepts a complete production configuration (of migrate, which alone holds the admin password)', () => {
    const c = loadConfig(
      {
        ...productionBase,
        KM_ADMIN_EMAIL: 'Ops@Example.nl',
        KM_ADMIN_PASSWORD: 'a-long-passphrase',
      },
      'migrate',
    );
    expect(c.production).toBe(true);
    expect(c.admin?.email).toBe('ops@example.nl');
  });

  it('requires the admin e-mail and password together outside demo mode', () => {
    expect(problemsOf({ ...base, KM_ADMIN_EMAIL: 'ops@example.nl' })).toEqual([
      'KM_ADMIN_PASSWORD: KM_ADMIN_EMAIL and KM_ADMIN_PASSWORD go together',
    ]);
  });
});
