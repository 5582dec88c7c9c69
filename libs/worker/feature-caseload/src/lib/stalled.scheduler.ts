import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JOBS, MarkStalledPayload, QUEUES, SCHEDULERS } from '@klantmonitor/server/queues';

/** Every night at 02:15 Amsterdam time; the stable scheduler id keeps it single across workers. */
@Injectable()
export class StalledScheduler implements OnApplicationBootstrap {
  constructor(@InjectQueue(QUEUES.caseload) private readonly queue: Queue<MarkStalledPayload>) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SCHEDULERS.markStalled,
      { pattern: '15 2 * * *', tz: 'Europe/Amsterdam' },
      { name: JOBS.markStalled, data: {} },
    );
  }
}
