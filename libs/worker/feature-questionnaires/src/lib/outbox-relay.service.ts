import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { TenantDb } from '@klantmonitor/server/db';
import { createRedis, DEFAULT_JOB_OPTIONS, relayOutbox } from '@klantmonitor/server/queues';

const PRUNE_EVERY_MS = 3600_000;

/**
 * Moves outbox rows (jobs that changes wrote in their own transaction) to BullMQ every
 * OUTBOX_POLL_MS. Uses a fail-fast Redis connection: while Redis is down a pass fails, the rows
 * stay, and the first pass after Redis returns moves them. Relayed rows are pruned after a week.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelayService.name);
  private readonly redis: Redis;
  private readonly queues = new Map<string, Queue>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private lastPrune = 0;
  private failing = false;

  constructor(
    private readonly db: TenantDb,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.redis = createRedis(config.redisUrl, 'client', 'klantmonitor-worker-outbox');
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.redis, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      q.on('error', () => undefined);
      this.queues.set(name, q);
    }
    return q;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pass()
        .then(() => undefined)
        .finally(() => {
          this.running = null;
          this.schedule(this.config.outboxPollMs);
        });
    }, ms);
  }

  /** One relay pass; public so tests and the benchmark can drive it. */
  async pass(): Promise<number> {
    try {
      const moved = await relayOutbox(this.db.global, async (queue, jobs) => {
        await this.queue(queue).addBulk(jobs);
      });
      if (this.failing) this.logger.log('Outbox relay works again');
      this.failing = false;
      if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) {
        this.lastPrune = Date.now();
        await this.db.global.query(`SELECT km_outbox_prune(interval '7 days')`);
      }
      return moved;
    } catch (e) {
      if (!this.failing) this.logger.warn(`Outbox relay paused: ${(e as Error).message}`);
      this.failing = true;
      return 0;
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    this.redis.disconnect();
  }
}
