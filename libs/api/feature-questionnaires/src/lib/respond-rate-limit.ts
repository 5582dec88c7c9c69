import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { tooManyRequests } from '@klantmonitor/api/core';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { createRedis } from '@klantmonitor/server/queues';

const WINDOW_SECONDS = 15 * 60;

/**
 * Wrong questionnaire links per address: after RESPOND_RATE_LIMIT misses in 15 minutes the
 * address gets 429 for every unknown link until the window passes; known links keep working
 * (respond.service.ts). Shared through Redis; each instance limits on its own while Redis is away.
 */
@Injectable()
export class RespondRateLimit implements OnModuleDestroy {
  private readonly redis: Redis;
  private readonly limiter: RateLimiterRedis;
  private readonly points: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.points = config.respondRateLimit;
    this.redis = createRedis(config.redisUrl, 'client', 'klantmonitor-api-respond-limit');
    const keyPrefix = 'km:rl:respond';
    this.limiter = new RateLimiterRedis({
      storeClient: this.redis,
      keyPrefix,
      points: this.points,
      duration: WINDOW_SECONDS,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix, points: this.points, duration: WINDOW_SECONDS }),
    });
  }

  private tooMany(msBeforeNext: number) {
    return tooManyRequests('Too many unknown links from your address', msBeforeNext);
  }

  /** Throws 429 when the address has used up its misses. */
  async assertAllowed(ip: string): Promise<void> {
    const r = await this.limiter.get(ip).catch(() => null);
    if (r && r.consumedPoints >= this.points) throw this.tooMany(r.msBeforeNext);
  }

  /** Counts a miss; the miss that crosses the limit is already answered with 429. */
  async miss(ip: string): Promise<void> {
    try {
      await this.limiter.consume(ip);
    } catch (e) {
      if (e instanceof RateLimiterRes) throw this.tooMany(e.msBeforeNext);
      throw e;
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
