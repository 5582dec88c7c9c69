import { Redis, RedisOptions } from 'ioredis';

/**
 * A Redis connection. `worker` connections block (BullMQ needs maxRetriesPerRequest null);
 * `client` connections fail fast so the api never hangs while Redis is down.
 */
export function createRedis(url: string, kind: 'worker' | 'client', name: string): Redis {
  const options: RedisOptions =
    kind === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: false, connectionName: name }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, connectionName: name };
  const redis = new Redis(url, { ...options, retryStrategy: (times) => Math.min(times * 200, 2000) });
  // Errors surface through commands and health; without a listener ioredis would log every retry.
  redis.on('error', () => undefined);
  return redis;
}
