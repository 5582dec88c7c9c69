import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { createRedis } from '@klantmonitor/server/queues';
import { tooManyRequests } from './too-many-requests';

/**
 * Counts failed attempts per key (an account, an admin) in a window, shared by all api instances
 * through Redis; while Redis is away each instance counts on its own (insurance). `assertAllowed`
 * answers 429 with Retry-After once `points` failures are used up; `failed` counts one.
 */
export class AttemptLimit {
  private readonly redis: Redis;
  private readonly limiter: RateLimiterRedis;

  constructor(
    redisUrl: string,
    private readonly options: {
      keyPrefix: string;
      points: number;
      windowSeconds: number;
      what: string;
      connectionName: string;
    },
  ) {
    this.redis = createRedis(redisUrl, 'client', options.connectionName);
    this.limiter = new RateLimiterRedis({
      storeClient: this.redis,
      keyPrefix: options.keyPrefix,
      points: options.points,
      duration: options.windowSeconds,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({
        keyPrefix: options.keyPrefix,
        points: options.points,
        duration: options.windowSeconds,
      }),
    });
  }

  /** 429 when `key` has used up its failures in this window. */
  async assertAllowed(key: string): Promise<void> {
    const res = await this.limiter.get(key).catch(() => null);
    if (res && res.consumedPoints >= this.options.points) throw tooManyRequests(this.options.what, res.msBeforeNext);
  }

  /** Counts one failure of `key`. */
  async failed(key: string): Promise<void> {
    await this.limiter.consume(key).catch(() => undefined);
  }

  close(): void {
    this.redis.disconnect();
  }
}
