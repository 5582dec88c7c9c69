import { todayInAmsterdam } from '@klantmonitor/shared/domain';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { SecretBox } from '@klantmonitor/server/crypto';
import { TenantDb } from '@klantmonitor/server/db';
import { DeliveryPayload, JOBS } from '@klantmonitor/server/queues';
import {
  claimDelivery,
  DeliveryKind,
  MailSender,
  mailMessage,
  markDelivered,
  releaseDelivery,
  SendOutcome,
  SmsSender,
  smsText,
} from '@klantmonitor/server/questionnaires';

export type DeliveryJobResult = { outcome: 'sent' | 'failed' | 'nothing_to_do'; detail?: string };

/**
 * Sends one invitation or reminder: claim in PostgreSQL, send, record. Permanent problems (no
 * contact data, a refused address, no provider configured) end as `failed` with a reason the
 * counselor sees; passing problems throw, so BullMQ tries again with backoff, and the last attempt
 * records `failed`.
 */
@Injectable()
export class DeliveryService implements OnModuleDestroy {
  private readonly logger = new Logger(DeliveryService.name);
  private readonly box: SecretBox;
  private readonly mail: MailSender | null;
  private readonly sms: SmsSender | null;

  constructor(
    private readonly db: TenantDb,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.box = new SecretBox(config.encryptionKey);
    this.mail = config.smtpUrl
      ? new MailSender(config.smtpUrl, config.mailFrom, Math.min(10, config.delivery.concurrency))
      : null;
    this.sms = config.sms ? new SmsSender(config.sms.url, config.sms.apiKey) : null;
  }

  async deliver(job: Job<DeliveryPayload>, token: string | undefined): Promise<DeliveryJobResult> {
    const kind: DeliveryKind = job.name === JOBS.sendReminder ? 'reminder' : 'invitation';
    const { organisationId, invitationId } = job.data;
    const today = todayInAmsterdam();
    const claim = await this.db.run({ organisationId }, (em) =>
      claimDelivery(em, invitationId, kind, this.config.delivery.leaseSeconds, today),
    );
    if (claim.state === 'done') return { outcome: 'nothing_to_do', detail: claim.status };
    if (claim.state === 'busy') {
      // Another attempt holds a live claim (or its worker died a moment ago): look again when the lease ends.
      await job.moveToDelayed(claim.retryAt.getTime() + 100, token);
      throw new DelayedError();
    }
    const link = `${this.config.publicUrl}/v/${claim.token}`;
    const input = {
      kind,
      organisationName: claim.organisationName,
      link,
      portalLink: `${this.config.publicUrl}/mijn/${claim.portalToken}`,
      creditCents: claim.creditCents,
      questionCount: claim.questionCount,
      expiresOn: claim.expiresOn,
    };
    let outcome: SendOutcome;
    if (claim.channel === 'email') {
      if (!this.mail) outcome = { ok: false, permanent: true, reason: 'smtp_not_configured' };
      else if (!claim.emailEnc) outcome = { ok: false, permanent: true, reason: 'no_contact' };
      else
        outcome = await this.mail.send(
          this.box.open(claim.emailEnc),
          mailMessage(input),
          `<${invitationId}.${kind}.${claim.attempt}@klantmonitor>`,
        );
    } else {
      if (!this.sms) outcome = { ok: false, permanent: true, reason: 'sms_not_configured' };
      else if (!claim.phoneEnc) outcome = { ok: false, permanent: true, reason: 'no_contact' };
      else outcome = await this.sms.send(this.box.open(claim.phoneEnc), smsText(input), `${invitationId}-${kind}`);
    }
    if (outcome.ok) {
      await markDelivered(this.db.global, organisationId, invitationId, kind, today);
      return { outcome: 'sent' };
    }
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const final = outcome.permanent || lastAttempt;
    await this.db.run({ organisationId }, (em) => releaseDelivery(em, invitationId, kind, outcome.reason, final));
    if (final) {
      this.logger.warn(`Invitation ${invitationId} (${kind}) not delivered: ${outcome.reason}`);
      return { outcome: 'failed', detail: outcome.reason };
    }
    throw new Error(outcome.reason);
  }

  onModuleDestroy(): void {
    this.mail?.close();
  }
}
