import { isIsoDate, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { organisationIds, TenantDb } from '@klantmonitor/server/db';
import { JOBS, PlanInvitationsPayload, QUEUES, SweepInvitationsPayload } from '@klantmonitor/server/queues';
import { planOrganisation, PlanResult, sweepOrganisation, SweepResult } from '@klantmonitor/server/questionnaires';
import { planningWorkerOptions } from './worker-options';

/** Plans waves and sweeps reminders and expiries, one organisation (tenant) per transaction. */
@Processor(QUEUES.questionnaires, planningWorkerOptions())
export class PlanningProcessor extends WorkerHost {
  private readonly logger = new Logger(PlanningProcessor.name);

  constructor(
    private readonly db: TenantDb,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async process(
    job: Job<PlanInvitationsPayload | SweepInvitationsPayload>,
  ): Promise<(PlanResult | SweepResult) & { organisations: number }> {
    const today = job.data.today && isIsoDate(job.data.today) ? job.data.today : todayInAmsterdam();
    const organisations: string[] = job.data.organisationId
      ? [job.data.organisationId]
      : await this.db.run({ organisationId: null, platformAdmin: true }, (em) => organisationIds(em, 'active'));
    if (job.name === JOBS.planInvitations) {
      const data = job.data as PlanInvitationsPayload;
      const total: PlanResult = { trajectories: 0, invited: 0, skipped: 0, noContact: 0 };
      for (const [i, organisationId] of organisations.entries()) {
        const r = await planOrganisation(this.db, organisationId, {
          today,
          trajectoryIds: data.trajectoryIds,
          available: { email: true, sms: this.config.sms !== undefined },
        });
        total.trajectories += r.trajectories;
        total.invited += r.invited;
        total.skipped += r.skipped;
        total.noContact += r.noContact;
        await job.updateProgress(Math.round(((i + 1) / organisations.length) * 100));
      }
      if (!data.trajectoryIds)
        this.logger.log(`Planned as of ${today}: ${JSON.stringify(total)} in ${organisations.length} organisations`);
      return { ...total, organisations: organisations.length };
    }
    if (job.name === JOBS.sweepInvitations) {
      const total: SweepResult = { reminders: 0, expired: 0, unansweredAlerts: 0 };
      for (const [i, organisationId] of organisations.entries()) {
        const r = await this.db.run({ organisationId }, (em) => sweepOrganisation(em, today));
        total.reminders += r.reminders;
        total.expired += r.expired;
        total.unansweredAlerts += r.unansweredAlerts;
        await job.updateProgress(Math.round(((i + 1) / organisations.length) * 100));
      }
      this.logger.log(`Swept as of ${today}: ${JSON.stringify(total)}`);
      return { ...total, organisations: organisations.length };
    }
    throw new Error(`Unknown job ${job.name} on ${QUEUES.questionnaires}`);
  }
}
