import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { ImportProgress } from '@klantmonitor/shared/domain';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { createRedis } from '@klantmonitor/server/queues';

const TTL_SECONDS = 3600;

/**
 * Progress of running imports in Redis, so any api instance can answer the dashboard's polling.
 * Best effort: while Redis is away an import still runs, it just shows no progress.
 */
@Injectable()
export class ImportProgressStore implements OnModuleDestroy {
  private readonly redis: Redis;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.redis = createRedis(config.redisUrl, 'client', 'klantmonitor-api-import');
  }

  private key(organisationId: string, id: string): string {
    return `km:import:${organisationId}:${id}`;
  }

  async set(
    organisationId: string,
    id: string | undefined,
    progress: Omit<ImportProgress, 'updatedAt'>,
  ): Promise<void> {
    if (!id) return;
    const value: ImportProgress = { ...progress, updatedAt: new Date().toISOString() };
    await this.redis.set(this.key(organisationId, id), JSON.stringify(value), 'EX', TTL_SECONDS).catch(() => undefined);
  }

  async get(organisationId: string, id: string): Promise<ImportProgress | null> {
    const raw = await this.redis.get(this.key(organisationId, id)).catch(() => null);
    return raw ? (JSON.parse(raw) as ImportProgress) : null;
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
