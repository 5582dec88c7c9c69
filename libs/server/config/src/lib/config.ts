/**
 * The process configuration: every environment variable the api and worker read, validated once at
 * start-up. A missing or invalid variable stops the process with a message that names it; production
 * additionally refuses demo passwords and missing secrets. `.env.example` documents each variable.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

/** Password of the demo accounts; accepted only outside production. */
export const DEMO_PASSWORD = 'klantmonitor';
const DEV_JWT_SECRET = 'klantmonitor-development-secret-not-for-production';
const DEV_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** An IPv4/IPv6 address or CIDR range, or one of proxy-addr's names for private ranges. */
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
function isAddressOrRange(v: string): boolean {
  if (PROXY_NAMES.includes(v)) return true;
  const [ip, bits, extra] = v.split('/');
  const version = isIP(ip);
  if (!version || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}

/**
 * Which X-Forwarded-For entries to believe. Never "any" (`true`): then a client's own header decides
 * its address, and every per-address limit and the audit log follow it. Either no proxy (`false`),
 * the number of proxies in front (`1` behind the compose nginx: the address that proxy saw), or the
 * proxies' own addresses/ranges (comma separated).
 */
const trustProxy = z.string().transform((v, ctx): false | number | string => {
  const t = v.trim();
  if (['false', '0', 'no', ''].includes(t)) return false;
  if (/^\d{1,2}$/.test(t) && Number(t) >= 1 && Number(t) <= 10) return Number(t);
  const parts = t.split(',').map((p) => p.trim());
  if (!['true', 'yes'].includes(t) && parts.every(isAddressOrRange)) return parts.join(',');
  ctx.addIssue({
    code: 'custom',
    message:
      'must be false, the number of proxies in front of the api (1 to 10) or their addresses (e.g. 172.16.0.0/12); "true" would let any client choose its own address',
  });
  return z.NEVER;
});

const postgresUrl = z.string().refine((v) => /^postgres(ql)?:\/\/[^\s]+$/.test(v), 'must be a postgres:// URL');
const redisUrl = z.string().refine((v) => /^rediss?:\/\/[^\s]+$/.test(v), 'must be a redis:// URL');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PUBLIC_URL: z.url({ message: 'must be a URL such as https://klantmonitor.example.nl' }).optional(),
  DATABASE_URL: postgresUrl,
  DATABASE_ADMIN_URL: postgresUrl.optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  REDIS_URL: redisUrl,
  SMTP_URL: z
    .string()
    .refine((v) => /^smtps?:\/\/[^\s]+$/.test(v), 'must be an smtp:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Klantmonitor <vragenlijst@klantmonitor.local>'),
  SMS_URL: z.url({ message: 'must be the URL of the SMS provider endpoint' }).optional(),
  SMS_API_KEY: z.string().min(8, 'must be at least 8 characters').optional(),
  MAIL_RATE_PER_SECOND: z.coerce.number().int().min(1).max(10000).default(200),
  SMS_RATE_PER_SECOND: z.coerce.number().int().min(1).max(10000).default(20),
  DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
  SEND_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
  JOB_LOCK_MS: z.coerce.number().int().min(1000).max(600000).default(30000),
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(60000).default(500),
  RESPOND_RATE_LIMIT: z.coerce.number().int().min(1).max(100000).default(30),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_TTL_SECONDS: z.coerce.number().int().min(60).max(86400).default(1800),
  DATA_ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
    .optional(),
  KM_ADMIN_EMAIL: z.email({ message: 'must be an e-mail address' }).optional(),
  KM_ADMIN_PASSWORD: z.string().min(1).optional(),
  KM_DEMO: bool.default(false),
  DASHBOARD_DIST: z.string().min(1).optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Platform admins must use two-step verification: always in production, by choice elsewhere. */
  PLATFORM_ADMIN_TOTP: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
  TRUST_PROXY: trustProxy.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(1000).default(10),
  LOGIN_ADDRESS_RATE_LIMIT: z.coerce.number().int().min(1).max(100000).default(200),
  /** Requests per address per 15 minutes to each of /auth/oidc/start, /callback and /exchange. */
  OIDC_ADDRESS_RATE_LIMIT: z.coerce.number().int().min(1).max(100000).default(60),
  /** Development only: an SSO issuer may be http://127.0.0.1:<port> (the demo's and tests' provider). */
  SSO_LOOPBACK_ISSUER: bool.default(false),
  /** Days after a trajectory ended (closure or dropout) that its client's e-mail and phone are kept. */
  CONTACT_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(90),
});

type Parsed = z.infer<typeof schema>;

export interface AppConfig {
  nodeEnv: Parsed['NODE_ENV'];
  production: boolean;
  host: string;
  port: number;
  publicUrl: string;
  database: { url: string; adminUrl: string; poolSize: number };
  redisUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** SMS provider adapter (HTTP); without it the SMS channel is not offered. */
  sms: { url: string; apiKey: string } | undefined;
  delivery: {
    mailPerSecond: number;
    smsPerSecond: number;
    concurrency: number;
    /** A claimed send older than this is taken to be interrupted and may be tried again. */
    leaseSeconds: number;
  };
  /** BullMQ lock duration: how soon a job of a killed worker is picked up again. */
  jobLockMs: number;
  outboxPollMs: number;
  /** Wrong questionnaire links per address per 15 minutes. */
  respondRateLimit: number;
  jwt: { secret: string; ttlSeconds: number };
  /** AES-256-GCM key for contact data and TOTP secrets. */
  encryptionKey: Buffer;
  admin: { email: string; password: string } | undefined;
  demo: boolean;
  dashboardDist: string | undefined;
  metricsToken: string | undefined;
  /** Platform admins sign in with a second factor (set it up first); always so in production. */
  platformAdminTotpRequired: boolean;
  /** For Fastify's `trustProxy`: false, a hop count or a list of addresses/ranges. */
  trustProxy: false | number | string;
  logLevel: Parsed['LOG_LEVEL'];
  loginRateLimit: number;
  /** Sign-in attempts per address (an office behind one NAT address signs in many people). */
  loginAddressRateLimit: number;
  /** Requests per address per 15 minutes to each single sign-on endpoint. */
  oidcAddressRateLimit: number;
  /** Development only: an issuer may be http://127.0.0.1:<port>. */
  ssoLoopbackIssuer: boolean;
  /** Days after a trajectory ended that its client's contact data are kept (then erased). */
  contactRetentionDays: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super('Invalid configuration:\n' + problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Reads and checks the configuration; throws a ConfigError that names every bad variable. */
/**
 * What the process is for: `migrate` (also migrate:revert) may hold the schema owner's URL;
 * `serve` (the api) and `worker` must not, in production (least privilege, #11).
 */
export type ProcessPurpose = 'migrate' | 'serve' | 'worker';

export function loadConfig(env: NodeJS.ProcessEnv = process.env, purpose: ProcessPurpose = 'serve'): AppConfig {
  // Empty strings count as "not set", as in most .env tooling.
  const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => ({
        variable: String(i.path[0] ?? '(environment)'),
        message: i.code === 'invalid_type' && i.input === undefined ? 'is required' : i.message,
      })),
    );
  }
  const e = result.data;
  const production = e.NODE_ENV === 'production';
  const problems: { variable: string; message: string }[] = [];
  if (production) {
    if (!e.JWT_SECRET) problems.push({ variable: 'JWT_SECRET', message: 'is required in production' });
    if (e.JWT_SECRET === DEV_JWT_SECRET)
      problems.push({ variable: 'JWT_SECRET', message: 'is the development secret' });
    if (!e.DATA_ENCRYPTION_KEY)
      problems.push({ variable: 'DATA_ENCRYPTION_KEY', message: 'is required in production' });
    if (e.DATA_ENCRYPTION_KEY === DEV_ENCRYPTION_KEY)
      problems.push({ variable: 'DATA_ENCRYPTION_KEY', message: 'is the development key' });
    if (!e.PUBLIC_URL) problems.push({ variable: 'PUBLIC_URL', message: 'is required in production' });
    if (e.KM_DEMO) problems.push({ variable: 'KM_DEMO', message: 'demo mode is not allowed in production' });
    if (e.PLATFORM_ADMIN_TOTP === 'false')
      problems.push({ variable: 'PLATFORM_ADMIN_TOTP', message: 'cannot be turned off in production' });
    if (e.SSO_LOOPBACK_ISSUER)
      problems.push({ variable: 'SSO_LOOPBACK_ISSUER', message: 'is for development and tests only' });
    if (purpose !== 'migrate' && e.DATABASE_ADMIN_URL && e.DATABASE_ADMIN_URL !== e.DATABASE_URL)
      problems.push({
        variable: 'DATABASE_ADMIN_URL',
        message: `is for the migrate step only; the ${purpose === 'worker' ? 'worker' : 'api'} must not hold the schema owner's password`,
      });

    if (e.KM_ADMIN_PASSWORD !== undefined && purpose !== 'migrate')
      problems.push({
        variable: 'KM_ADMIN_PASSWORD',
        message: 'is for the migrate step only (it creates the platform admin); leave it out of the api and worker',
      });
    else if (e.KM_ADMIN_PASSWORD !== undefined) {
      if (e.KM_ADMIN_PASSWORD === DEMO_PASSWORD)
        problems.push({ variable: 'KM_ADMIN_PASSWORD', message: 'is the demo password' });
      else if (e.KM_ADMIN_PASSWORD.length < 12)
        problems.push({ variable: 'KM_ADMIN_PASSWORD', message: 'must be at least 12 characters in production' });
    }
  }
  if (input['NODE_ENV'] === undefined) {
    // The built-in secrets are public (they are in this file): only a deliberate development or test
    // run may use them. A server started without NODE_ENV must bring its own.
    for (const variable of ['JWT_SECRET', 'DATA_ENCRYPTION_KEY'] as const)
      if (!e[variable])
        problems.push({
          variable,
          message: 'is required unless NODE_ENV is development or test (the built-in one is public)',
        });
  }
  if ((e.KM_ADMIN_EMAIL === undefined) !== (e.KM_ADMIN_PASSWORD === undefined) && !e.KM_DEMO) {
    problems.push({
      variable: e.KM_ADMIN_EMAIL ? 'KM_ADMIN_PASSWORD' : 'KM_ADMIN_EMAIL',
      message: 'KM_ADMIN_EMAIL and KM_ADMIN_PASSWORD go together',
    });
  }
  if ((e.SMS_URL === undefined) !== (e.SMS_API_KEY === undefined)) {
    problems.push({ variable: e.SMS_URL ? 'SMS_API_KEY' : 'SMS_URL', message: 'SMS_URL and SMS_API_KEY go together' });
  }
  if (e.JOB_LOCK_MS >= e.SEND_LEASE_SECONDS * 1000) {
    problems.push({ variable: 'SEND_LEASE_SECONDS', message: 'must be longer than JOB_LOCK_MS' });
  }
  if (problems.length) throw new ConfigError(problems);

  // Demo mode falls back to the documented demo platform admin.
  const admin =
    e.KM_ADMIN_EMAIL || e.KM_ADMIN_PASSWORD || e.KM_DEMO
      ? {
          email: (e.KM_ADMIN_EMAIL ?? 'admin@klantmonitor.local').toLowerCase(),
          password: e.KM_ADMIN_PASSWORD ?? DEMO_PASSWORD,
        }
      : undefined;

  return {
    nodeEnv: e.NODE_ENV,
    production,
    host: e.HOST,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    database: { url: e.DATABASE_URL, adminUrl: e.DATABASE_ADMIN_URL ?? e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE },
    redisUrl: e.REDIS_URL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    sms: e.SMS_URL && e.SMS_API_KEY ? { url: e.SMS_URL, apiKey: e.SMS_API_KEY } : undefined,
    delivery: {
      mailPerSecond: e.MAIL_RATE_PER_SECOND,
      smsPerSecond: e.SMS_RATE_PER_SECOND,
      concurrency: e.DELIVERY_CONCURRENCY,
      leaseSeconds: e.SEND_LEASE_SECONDS,
    },
    jobLockMs: e.JOB_LOCK_MS,
    outboxPollMs: e.OUTBOX_POLL_MS,
    respondRateLimit: e.RESPOND_RATE_LIMIT,
    jwt: { secret: e.JWT_SECRET ?? DEV_JWT_SECRET, ttlSeconds: e.JWT_TTL_SECONDS },
    encryptionKey: Buffer.from(e.DATA_ENCRYPTION_KEY ?? DEV_ENCRYPTION_KEY, 'base64'),
    admin,
    demo: e.KM_DEMO,
    dashboardDist: e.DASHBOARD_DIST,
    metricsToken: e.METRICS_TOKEN,
    platformAdminTotpRequired: production || e.PLATFORM_ADMIN_TOTP === 'true',
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    loginAddressRateLimit: e.LOGIN_ADDRESS_RATE_LIMIT,
    oidcAddressRateLimit: e.OIDC_ADDRESS_RATE_LIMIT,
    ssoLoopbackIssuer: e.SSO_LOOPBACK_ISSUER,
    contactRetentionDays: e.CONTACT_RETENTION_DAYS,
  };
}
