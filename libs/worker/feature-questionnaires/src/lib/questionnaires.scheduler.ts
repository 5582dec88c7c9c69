import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JOBS, QUEUES, SCHEDULERS } from '@klantmonitor/server/queues';

/**
 * Daily, Amsterdam time: reminders and expiries at 08:50, then the planner at 09:00, so messages
 * arrive in the morning. Changes during the day plan their own trajectory through the outbox.
 */
@Injectable()
export class QuestionnairesScheduler implements OnApplicationBootstrap {
  constructor(@InjectQueue(QUEUES.questionnaires) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SCHEDULERS.sweepInvitations,
      { pattern: '50 8 * * *', tz: 'Europe/Amsterdam' },
      { name: JOBS.sweepInvitations, data: {} },
    );
    await this.queue.upsertJobScheduler(
      SCHEDULERS.planInvitations,
      { pattern: '0 9 * * *', tz: 'Europe/Amsterdam' },
      { name: JOBS.planInvitations, data: {} },
    );
  }
}
