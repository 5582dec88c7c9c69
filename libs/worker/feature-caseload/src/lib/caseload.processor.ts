import { isIsoDate, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { eraseContacts, foldTrajectoryCounts, markStalled } from '@klantmonitor/server/clients';
import { organisationIds, TenantDb } from '@klantmonitor/server/db';
import { EraseContactsPayload, JOBS, MarkStalledPayload, QUEUES } from '@klantmonitor/server/queues';

type Payload = MarkStalledPayload | EraseContactsPayload;

/**
 * Caseload upkeep, one transaction per organisation (row-level security per tenant): flags stalled
 * trajectories, and erases contact data once the retention period after the end is over.
 */
@Processor(QUEUES.caseload)
export class CaseloadProcessor extends WorkerHost {
  private readonly logger = new Logger(CaseloadProcessor.name);

  constructor(
    private readonly db: TenantDb,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async process(job: Job<Payload>): Promise<Record<string, number>> {
    if (job.name !== JOBS.markStalled && job.name !== JOBS.eraseContacts)
      throw new Error(`Unknown job ${job.name} on ${QUEUES.caseload}`);
    const today = job.data.today && isIsoDate(job.data.today) ? job.data.today : todayInAmsterdam();
    const organisations: { id: string }[] = job.data.organisationId
      ? [{ id: job.data.organisationId }]
      : (await this.db.run({ organisationId: null, platformAdmin: true }, (em) => organisationIds(em))).map((id) => ({
          id,
        }));
    const totals: Record<string, number> = { organisations: organisations.length };
    for (const [i, org] of organisations.entries()) {
      const r = await this.db.run<Record<string, number>>({ organisationId: org.id }, async (em) =>
        job.name === JOBS.markStalled
          ? { ...(await markStalled(em, today)), countsFolded: await foldTrajectoryCounts(em) }
          : { ...(await eraseContacts(em, today, this.config.contactRetentionDays)) },
      );
      for (const [k, v] of Object.entries(r)) totals[k] = (totals[k] ?? 0) + v;
      await job.updateProgress(Math.round(((i + 1) / organisations.length) * 100));
    }
    if (job.name === JOBS.markStalled)
      this.logger.log(
        `Stalled as of ${today}: ${totals['flagged'] ?? 0} newly flagged, ${totals['alerts'] ?? 0} alerts opened; ${totals['firstMeetingAlerts'] ?? 0} first meetings due; ${organisations.length} organisations`,
      );
    else
      this.logger.log(
        `Contact data erased as of ${today} (${this.config.contactRetentionDays} days after the end): ${totals['erased'] ?? 0} clients, ${organisations.length} organisations`,
      );
    return totals;
  }
}
