import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { hostname } from 'node:os';
import { HEARTBEAT_EVERY_MS, HeartbeatPayload, JOBS, QUEUES, SCHEDULERS } from '@klantmonitor/server/queues';

/** Registers the heartbeat job scheduler under a stable id: restarts and extra workers never add a second. */
@Injectable()
export class HeartbeatScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(HeartbeatScheduler.name);

  constructor(@InjectQueue(QUEUES.system) private readonly queue: Queue<HeartbeatPayload>) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SCHEDULERS.heartbeat,
      { every: HEARTBEAT_EVERY_MS },
      { name: JOBS.heartbeat, data: { scheduledBy: hostname() }, opts: { attempts: 1 } },
    );
    this.logger.log(`Heartbeat every ${HEARTBEAT_EVERY_MS / 1000} s`);
  }
}
