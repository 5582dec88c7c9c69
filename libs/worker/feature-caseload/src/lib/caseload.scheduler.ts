import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JOBS, QUEUES, SCHEDULERS } from '@klantmonitor/server/queues';

/** Nightly, Amsterdam time: stalled flags at 02:15, contact erasure at 03:15. Stable scheduler ids keep each single across workers. */
@Injectable()
export class CaseloadScheduler implements OnApplicationBootstrap {
  constructor(@InjectQueue(QUEUES.caseload) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SCHEDULERS.markStalled,
      { pattern: '15 2 * * *', tz: 'Europe/Amsterdam' },
      { name: JOBS.markStalled, data: {} },
    );
    await this.queue.upsertJobScheduler(
      SCHEDULERS.eraseContacts,
      { pattern: '15 3 * * *', tz: 'Europe/Amsterdam' },
      { name: JOBS.eraseContacts, data: {} },
    );
  }
}
