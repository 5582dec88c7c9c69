import { Controller, Get, Inject, OnModuleDestroy, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import type { ComponentState, HealthResponse } from '@klantmonitor/shared/domain';
import { Public } from '@klantmonitor/api/core';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { createRedis, HEARTBEAT_EVERY_MS, WORKER_HEARTBEAT_KEY } from '@klantmonitor/server/queues';

const CHECK_TIMEOUT_MS = 1500;

function withTimeout<T>(p: Promise<T>): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS))]);
}

async function timed(check: () => Promise<unknown>): Promise<{ status: ComponentState; latencyMs: number | null }> {
  const start = performance.now();
  try {
    await withTimeout(check());
    return { status: 'up', latencyMs: Math.round((performance.now() - start) * 10) / 10 };
  } catch {
    return { status: 'down', latencyMs: null };
  }
}

/**
 * Health for load balancers and people: 200 when the database answers (status `ok`, or `degraded`
 * while Redis or the worker is away: changes are still accepted), 503 when the database does not.
 */
@ApiTags('platform')
@Controller('health')
export class HealthController implements OnModuleDestroy {
  private readonly redis: Redis;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.redis = createRedis(config.redisUrl, 'client', 'klantmonitor-api-health');
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'State of PostgreSQL, Redis and the worker' })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    const [database, redis] = await Promise.all([
      timed(() => this.dataSource.query('SELECT 1')),
      timed(() => this.redis.ping()),
    ]);
    let lastSeenAt: string | null = null;
    if (redis.status === 'up') lastSeenAt = await withTimeout(this.redis.get(WORKER_HEARTBEAT_KEY)).catch(() => null);
    const workerUp = lastSeenAt !== null && Date.now() - Date.parse(lastSeenAt) < 3 * HEARTBEAT_EVERY_MS;
    const status = database.status === 'down' ? 'down' : redis.status === 'down' || !workerUp ? 'degraded' : 'ok';
    reply.status(status === 'down' ? 503 : 200);
    return {
      status,
      checks: { database, redis, worker: { status: workerUp ? 'up' : 'down', lastSeenAt } },
      version: process.env['npm_package_version'] ?? '0.1.0',
    };
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
