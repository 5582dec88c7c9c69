import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { DEFAULT_JOB_OPTIONS, QUEUES } from '@klantmonitor/server/queues';
import { DeliveryService } from './delivery.service';
import { EmailDeliveryProcessor, SmsDeliveryProcessor } from './delivery.processors';
import { OutboxRelayService } from './outbox-relay.service';
import { PlanningProcessor } from './planning.processor';
import { QuestionnairesScheduler } from './questionnaires.scheduler';

/** Questionnaire waves: planner and sweeps, e-mail and SMS delivery, and the outbox relay. */
@Module({
  imports: [
    BullModule.registerQueue(
      { name: QUEUES.questionnaires, defaultJobOptions: DEFAULT_JOB_OPTIONS },
      { name: QUEUES.deliverEmail, defaultJobOptions: DEFAULT_JOB_OPTIONS },
      { name: QUEUES.deliverSms, defaultJobOptions: DEFAULT_JOB_OPTIONS },
    ),
  ],
  providers: [
    DeliveryService,
    EmailDeliveryProcessor,
    SmsDeliveryProcessor,
    PlanningProcessor,
    QuestionnairesScheduler,
    OutboxRelayService,
  ],
})
export class QuestionnairesModule {}
