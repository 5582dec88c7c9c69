import { Inject } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { HEARTBEAT_EVERY_MS, HeartbeatPayload, JOBS, QUEUES, WORKER_HEARTBEAT_KEY } from '@klantmonitor/server/queues';
import { SYSTEM_REDIS } from './system.tokens';

/** Writes when a worker last processed a job; the api's health check reads it. */
@Processor(QUEUES.system)
export class HeartbeatProcessor extends WorkerHost {
  constructor(@Inject(SYSTEM_REDIS) private readonly redis: Redis) {
    super();
  }

  async process(job: Job<HeartbeatPayload>): Promise<string> {
    if (job.name !== JOBS.heartbeat) throw new Error(`Unknown job ${job.name} on ${QUEUES.system}`);
    const now = new Date().toISOString();
    await this.redis.set(WORKER_HEARTBEAT_KEY, now, 'PX', 4 * HEARTBEAT_EVERY_MS);
    return now;
  }
}
