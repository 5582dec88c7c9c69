import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { isIsoDate, todayInAmsterdam } from '@klantmonitor/shared/metrics';
import { markStalled, TenantDb } from '@klantmonitor/server/db';
import { JOBS, MarkStalledPayload, QUEUES } from '@klantmonitor/server/queues';

/** Flags stalled trajectories, one transaction per organisation (row-level security per tenant). */
@Processor(QUEUES.caseload)
export class StalledProcessor extends WorkerHost {
  private readonly logger = new Logger(StalledProcessor.name);

  constructor(private readonly db: TenantDb) {
    super();
  }

  async process(job: Job<MarkStalledPayload>): Promise<{ organisations: number; flagged: number; alerts: number }> {
    if (job.name !== JOBS.markStalled) throw new Error(`Unknown job ${job.name} on ${QUEUES.caseload}`);
    const today = job.data.today && isIsoDate(job.data.today) ? job.data.today : todayInAmsterdam();
    const organisations: { id: string }[] = job.data.organisationId
      ? [{ id: job.data.organisationId }]
      : await this.db.run({ organisationId: null, platformAdmin: true }, (em) => em.query('SELECT id FROM organisations ORDER BY id'));
    let flagged = 0;
    let alerts = 0;
    for (const [i, org] of organisations.entries()) {
      const r = await this.db.run({ organisationId: org.id }, (em) => markStalled(em, today));
      flagged += r.flagged;
      alerts += r.alerts;
      await job.updateProgress(Math.round(((i + 1) / organisations.length) * 100));
    }
    this.logger.log(`Stalled as of ${today}: ${flagged} newly flagged, ${alerts} alerts opened, ${organisations.length} organisations`);
    return { organisations: organisations.length, flagged, alerts };
  }
}
