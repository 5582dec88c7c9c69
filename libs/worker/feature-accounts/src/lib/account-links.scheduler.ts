import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { ACCOUNT_LINKS_EVERY_MS, JOBS, QUEUES, SCHEDULERS } from '@klantmonitor/server/queues';

/** Looks for account e-mails to send every few seconds, under a stable scheduler id. */
@Injectable()
export class AccountLinksScheduler implements OnApplicationBootstrap {
  constructor(@InjectQueue(QUEUES.accountMail) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SCHEDULERS.sendAccountLinks,
      { every: ACCOUNT_LINKS_EVERY_MS },
      {
        name: JOBS.sendAccountLinks,
        data: {},
        opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 },
      },
    );
  }
}
