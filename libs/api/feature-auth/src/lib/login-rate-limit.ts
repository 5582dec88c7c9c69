import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AttemptLimit, tooManyRequests } from '@klantmonitor/api/core';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { createRedis } from '@klantmonitor/server/queues';

const WINDOW_SECONDS = 15 * 60;

/** A limiter of `points` per key in the window, in Redis; while Redis is away, per instance (insurance). */
function windowLimiter(redis: Redis, keyPrefix: string, points: number): RateLimiterRedis {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points,
    duration: WINDOW_SECONDS,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: WINDOW_SECONDS }),
  });
}

/**
 * Limits sign-in attempts per address and e-mail, and per address overall, shared by all api
 * instances through Redis; while Redis is away each instance limits on its own (insurance).
 */
@Injectable()
export class LoginRateLimit implements OnModuleDestroy {
  private readonly redis: Redis;
  private readonly perAccount: RateLimiterRedis;
  private readonly perAddress: RateLimiterRedis;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.redis = createRedis(config.redisUrl, 'client', 'klantmonitor-api-ratelimit');
    this.perAccount = windowLimiter(this.redis, 'km:rl:login:account', config.loginRateLimit);
    this.perAddress = windowLimiter(this.redis, 'km:rl:login:address', config.loginAddressRateLimit);
  }

  /** Counts one attempt; throws 429 with Retry-After once a limit is reached. */
  async consume(ip: string, email: string): Promise<void> {
    try {
      await Promise.all([this.perAccount.consume(`${ip}|${email.toLowerCase()}`), this.perAddress.consume(ip)]);
    } catch (e) {
      if (e instanceof RateLimiterRes) throw tooManyRequests('Too many sign-in attempts', e.msBeforeNext);
      throw e;
    }
  }

  /** A successful sign-in clears that account's counter. */
  async reset(ip: string, email: string): Promise<void> {
    await this.perAccount.delete(`${ip}|${email.toLowerCase()}`).catch(() => undefined);
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}

/** Failures counted per account across addresses (what a guesser with many addresses would try). */
abstract class PerAccountLimit implements OnModuleDestroy {
  private readonly limit: AttemptLimit;

  protected constructor(
    config: AppConfig,
    options: { keyPrefix: string; points: number; what: string; connectionName: string },
  ) {
    this.limit = new AttemptLimit(config.redisUrl, { ...options, windowSeconds: WINDOW_SECONDS });
  }

  assertAllowed(userId: string): Promise<void> {
    return this.limit.assertAllowed(userId);
  }

  wrong(userId: string): Promise<void> {
    return this.limit.failed(userId);
  }

  onModuleDestroy(): void {
    this.limit.close();
  }
}

/** Wrong two-step codes allowed per account in the window, from whatever addresses (docs/api.md). */
export const TOTP_WRONG_CODES = 10;

/**
 * Wrong second-factor codes (and wrong passwords when changing it) per account, across addresses:
 * at sign-in, when turning it on and when turning it off. After TOTP_WRONG_CODES in 15 minutes the
 * account gets 429 until the window ends.
 */
@Injectable()
export class TotpCodeLimit extends PerAccountLimit {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super(config, {
      keyPrefix: 'km:rl:totp:account',
      points: TOTP_WRONG_CODES,
      what: 'Too many wrong codes for this account',
      connectionName: 'klantmonitor-api-totplimit',
    });
  }
}

/** Wrong current passwords allowed per account in the window when changing the password. */
export const PASSWORD_WRONG_ATTEMPTS = 10;

/** Wrong current passwords on POST /auth/password, per account across addresses (429 after 10). */
@Injectable()
export class PasswordChangeLimit extends PerAccountLimit {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super(config, {
      keyPrefix: 'km:rl:password:account',
      points: PASSWORD_WRONG_ATTEMPTS,
      what: 'Too many wrong passwords for this account',
      connectionName: 'klantmonitor-api-passwordlimit',
    });
  }
}

/** The single sign-on steps limited per address. */
export type OidcStep = 'start' | 'callback' | 'exchange';

/**
 * Single sign-on's unauthenticated writes (#22): each of /auth/oidc/start, /callback and /exchange
 * counts its requests per address in 15 minutes (OIDC_ADDRESS_RATE_LIMIT each; 429 with Retry-After
 * after), and a refusal that names no organisation (a made-up state or code) is audited at most once
 * per address and minute, so made-up values cannot fill the audit log.
 */
@Injectable()
export class OidcRateLimit implements OnModuleDestroy {
  private readonly redis: Redis;
  private readonly limiters: Record<OidcStep, RateLimiterRedis>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.redis = createRedis(config.redisUrl, 'client', 'klantmonitor-api-oidclimit');
    const make = (step: OidcStep) => windowLimiter(this.redis, `km:rl:oidc:${step}`, config.oidcAddressRateLimit);
    this.limiters = { start: make('start'), callback: make('callback'), exchange: make('exchange') };
  }

  /** Counts one request of this address to this step; 429 once the limit is reached. */
  async consume(step: OidcStep, ip: string): Promise<void> {
    try {
      await this.limiters[step].consume(ip);
    } catch (e) {
      if (e instanceof RateLimiterRes) throw tooManyRequests('Too many single sign-on requests', e.msBeforeNext);
      throw e;
    }
  }

  /** Whether this address may write an audit row for an anonymous refusal now (once a minute). */
  async mayAuditAnonymous(ip: string): Promise<boolean> {
    const set = await this.redis.set(`km:oidc:anon-audit:${ip}`, '1', 'EX', 60, 'NX').catch(() => 'OK');
    return set === 'OK';
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
