import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { DEFAULT_JOB_OPTIONS, QUEUES } from '@klantmonitor/server/queues';
import { AccountLinksProcessor } from './account-links.processor';
import { AccountLinksScheduler } from './account-links.scheduler';

/** The `account-mail` queue: invitations and forgotten-password e-mails. */
@Module({
  imports: [
    BullModule.registerQueue({
      name: QUEUES.accountMail,
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
    }),
  ],
  providers: [AccountLinksProcessor, AccountLinksScheduler],
})
export class AccountsModule {}
