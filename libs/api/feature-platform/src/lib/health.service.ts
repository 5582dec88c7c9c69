import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import type { ComponentState, HealthResponse, SystemHealthResponse } from '@klantmonitor/shared/domain';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { ALL_QUEUES, createRedis, HEARTBEAT_EVERY_MS, WORKER_HEARTBEAT_KEY } from '@klantmonitor/server/queues';
import { Queue } from 'bullmq';

const CHECK_TIMEOUT_MS = 1500;

function withTimeout<T>(p: Promise<T>): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS)),
  ]);
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
 * The state of PostgreSQL, Redis and the worker (a heartbeat in Redis), and for the platform admin
 * every queue's depth and newest failures. The queues get a Redis connection of their own, made on
 * first use, so the public health check never waits on what BullMQ does with a connection.
 */
@Injectable()
export class HealthService implements OnModuleDestroy {
  private readonly redis: Redis;
  private readonly redisUrl: string;
  private queues: Queue[] | null = null;
  private queueConnection: Redis | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.redis = createRedis(config.redisUrl, 'client', 'klantmonitor-api-health');
    this.redisUrl = config.redisUrl;
  }

  /**
   * The queues, read-only (counts and failed jobs), made on the first look and on a connection of
   * their own: the public health check never waits on what BullMQ does with a connection.
   */
  private queueList(): Queue[] {
    if (!this.queues) {
      this.queueConnection = createRedis(this.redisUrl, 'client', 'klantmonitor-api-queue-view');
      const connection = this.queueConnection;
      this.queues = ALL_QUEUES.map((name) => new Queue(name, { connection }));
    }
    return this.queues;
  }

  /** Health with every queue (waiting, active, delayed, failed) and its newest failed jobs. */
  async system(): Promise<SystemHealthResponse> {
    const h = await this.check();
    if (h.checks.redis.status === 'down') return { ...h, queues: [], queuesError: 'redis_down' };
    try {
      const queues = await withTimeout(
        Promise.all(
          this.queueList().map(async (q) => {
            const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed');
            const failed = await q.getFailed(0, 4);
            return {
              name: q.name,
              waiting: counts['waiting'] ?? 0,
              active: counts['active'] ?? 0,
              delayed: counts['delayed'] ?? 0,
              failed: counts['failed'] ?? 0,
              recentFailures: failed.map((j) => ({
                job: j.name,
                reason: (j.failedReason ?? '').slice(0, 300),
                failedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
              })),
            };
          }),
        ),
      );
      return { ...h, queues, queuesError: null };
    } catch {
      return { ...h, queues: [], queuesError: 'timeout' };
    }
  }

  async check(): Promise<HealthResponse> {
    const [database, redis] = await Promise.all([
      timed(() => this.dataSource.query('SELECT 1')),
      timed(() => this.redis.ping()),
    ]);
    let lastSeenAt: string | null = null;
    if (redis.status === 'up') lastSeenAt = await withTimeout(this.redis.get(WORKER_HEARTBEAT_KEY)).catch(() => null);
    const workerUp = lastSeenAt !== null && Date.now() - Date.parse(lastSeenAt) < 3 * HEARTBEAT_EVERY_MS;
    const status = database.status === 'down' ? 'down' : redis.status === 'down' || !workerUp ? 'degraded' : 'ok';
    return {
      status,
      checks: { database, redis, worker: { status: workerUp ? 'up' : 'down', lastSeenAt } },
      version: process.env['npm_package_version'] ?? '0.1.0',
    };
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
    void Promise.all((this.queues ?? []).map((q) => q.close())).finally(() => this.queueConnection?.disconnect());
  }
}
