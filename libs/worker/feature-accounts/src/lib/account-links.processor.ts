import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnModuleDestroy } from '@nestjs/common';
import { Job } from 'bullmq';
import { createHash, randomBytes } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { TenantDb } from '@klantmonitor/server/db';
import { JOBS, QUEUES } from '@klantmonitor/server/queues';
import { MailSender } from '@klantmonitor/server/questionnaires';
import type { AccountLinkPurpose } from '@klantmonitor/shared/domain';
import { accountMail } from './account-mail';

/** At most this many e-mails per pass (a pass every few seconds). */
const BATCH = 20;

interface DueLink {
  id: string;
  purpose: AccountLinkPurpose;
  send_attempts: number;
  email: string;
  name: string | null;
  organisation: string | null;
}

/**
 * Sends the account e-mails that were asked for. The token is made here and only its hash is
 * kept; the rows are locked for the pass (SKIP LOCKED), so two workers never send the same link.
 */
@Processor(QUEUES.accountMail)
export class AccountLinksProcessor extends WorkerHost implements OnModuleDestroy {
  private readonly logger = new Logger(AccountLinksProcessor.name);
  private readonly mail: MailSender | null;

  constructor(
    private readonly db: TenantDb,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
    this.mail = config.smtpUrl ? new MailSender(config.smtpUrl, config.mailFrom, 2) : null;
  }

  async process(job: Job): Promise<{ sent: number; failed: number }> {
    if (job.name !== JOBS.sendAccountLinks) throw new Error(`Unknown job ${job.name} on ${QUEUES.accountMail}`);
    const mail = this.mail;
    if (!mail) return { sent: 0, failed: 0 }; // no SMTP configured: the links wait (start-up says so)
    return this.db.run({ organisationId: null }, async (em) => {
      const due: DueLink[] = await em.query(
        'SELECT id, purpose, send_attempts, email, name, organisation FROM km_account_links_due($1)',
        [BATCH],
      );
      let sent = 0;
      let failed = 0;
      for (const l of due) {
        const token = randomBytes(32).toString('base64url');
        const hash = createHash('sha256').update(token).digest();
        const path = l.purpose === 'invitation' ? 'welkom' : 'wachtwoord';
        const outcome = await mail.send(
          l.email,
          accountMail({
            purpose: l.purpose,
            link: `${this.config.publicUrl}/${path}/${token}`,
            name: l.name,
            organisation: l.organisation,
          }),
          `<${l.id}.${l.purpose}.${l.send_attempts + 1}@klantmonitor>`,
        );
        if (outcome.ok) {
          await em.query('SELECT km_account_link_sent($1, $2)', [l.id, hash]);
          sent++;
        } else {
          await em.query('SELECT km_account_link_failed($1, $2)', [l.id, outcome.reason]);
          this.logger.warn(`Account e-mail ${l.id} (${l.purpose}) not sent: ${outcome.reason}`);
          failed++;
        }
      }
      return { sent, failed };
    });
  }

  onModuleDestroy(): void {
    this.mail?.close();
  }
}
