import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { DeliveryPayload, QUEUES } from '@klantmonitor/server/queues';
import { DeliveryJobResult, DeliveryService } from './delivery.service';
import { deliveryWorkerOptions } from './worker-options';

/** E-mail invitations and reminders, rate-limited for the mail provider. */
@Processor(QUEUES.deliverEmail, deliveryWorkerOptions('email'))
export class EmailDeliveryProcessor extends WorkerHost {
  constructor(private readonly delivery: DeliveryService) {
    super();
  }

  process(job: Job<DeliveryPayload>, token?: string): Promise<DeliveryJobResult> {
    return this.delivery.deliver(job, token);
  }
}

/** SMS invitations and reminders, rate-limited for the SMS provider. */
@Processor(QUEUES.deliverSms, deliveryWorkerOptions('sms'))
export class SmsDeliveryProcessor extends WorkerHost {
  constructor(private readonly delivery: DeliveryService) {
    super();
  }

  process(job: Job<DeliveryPayload>, token?: string): Promise<DeliveryJobResult> {
    return this.delivery.deliver(job, token);
  }
}
