import { DEFAULT_MIN_CELL, isIsoDate, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { organisationIds, TenantDb } from '@klantmonitor/server/db';
import {
  computeProtectedPattern,
  dashboardQueries,
  protectedMinCell,
  pruneProtectedPatterns,
  readProtectedPattern,
  missingAnswers,
  planBatches,
  pruneAnswers,
  refreshFacts,
  warmBatch,
} from '@klantmonitor/server/analytics';
import {
  JOBS,
  QUEUES,
  RecomputeAnalyticsPayload,
  recomputeJobOptions,
  WarmAnalyticsPayload,
  warmJobOptions,
} from '@klantmonitor/server/queues';

/**
 * Recompute: all heavy lifting is one SQL statement per organisation (facts from trajectories,
 * assessments and support), so the worker never holds a country's rows. Warm: the dashboards'
 * usual answers, each from aggregate functions that return counts per municipality, type, month.
 */
// Two organisations at a time (one per core); the same organisation never twice (deduplication + advisory lock).
@Processor(QUEUES.analytics, { concurrency: 2, lockDuration: 120_000 })
export class AnalyticsProcessor extends WorkerHost implements BeforeApplicationShutdown {
  private readonly logger = new Logger(AnalyticsProcessor.name);
  /** Set on SIGTERM: a running warm job stops after the answers in hand (#27: shutdown waited for all 33). */
  private stopping = false;

  constructor(
    private readonly db: TenantDb,
    @InjectQueue(QUEUES.analytics) private readonly queue: Queue,
  ) {
    super();
  }

  /** Before BullMQ closes its workers (which waits for running jobs): let the warm job end early. */
  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  async process(job: Job<RecomputeAnalyticsPayload | WarmAnalyticsPayload>): Promise<unknown> {
    if (job.name === JOBS.recomputeAnalytics) return this.recompute(job as Job<RecomputeAnalyticsPayload>);
    if (job.name === JOBS.warmAnalytics) return this.warm(job as Job<WarmAnalyticsPayload>);
    throw new Error(`Unknown job ${job.name} on ${QUEUES.analytics}`);
  }

  private async recompute(job: Job<RecomputeAnalyticsPayload>) {
    const organisationId = job.data.organisationId;
    if (!organisationId) {
      // The nightly run: one deduplicated job per organisation, then they run one by one.
      const orgs = await this.db.run({ organisationId: null, platformAdmin: true }, (em) => organisationIds(em));
      for (const id of orgs) {
        await this.queue.add(
          JOBS.recomputeAnalytics,
          { organisationId: id, requestedBy: 'nightly' },
          recomputeJobOptions(id),
        );
      }
      await job.updateProgress(100);
      return { organisations: orgs.length };
    }
    await job.updateProgress(5);
    // New questionnaire items get their place in the answer facts (a short transaction of its own).
    await this.db.global.query('SELECT km_analytics_sync_items()');
    const result = await this.db.run({ organisationId }, async (em) => {
      // A second run for the same organisation (a retry, a duplicate) waits here and then redoes the same work.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('analytics-recompute'), hashtext($1))`, [organisationId]);
      return refreshFacts(em);
    });
    await job.updateProgress(80);
    await this.queue.add(JOBS.warmAnalytics, {}, warmJobOptions());
    await job.updateProgress(100);
    this.logger.log(
      `Analytics facts of ${organisationId}: ${result.trajectories} trajectories and ${result.responses} answers in ${result.durationMs} ms (version ${result.version})`,
    );
    return result;
  }

  private async warm(job: Job<WarmAnalyticsPayload>) {
    const asOf = job.data.asOf && isIsoDate(job.data.asOf) ? job.data.asOf : todayInAmsterdam();
    const queries = dashboardQueries(asOf);
    const started = Date.now();
    // The protected table's pattern (metrics.md "Protected figures") at the default minCell, for this
    // data version and day: every answer about other organisations' clients looks its cells up.
    const [state]: { version: string; settings_version: string }[] = await this.db.global.query(
      'SELECT version, settings_version FROM analytics_state WHERE id = 1',
    );
    const [version, settingsVersion] = [Number(state.version), Number(state.settings_version)];
    const minCell = protectedMinCell(DEFAULT_MIN_CELL);
    const pattern =
      (await readProtectedPattern(this.db.global, version, settingsVersion, asOf, minCell)) ??
      (await computeProtectedPattern(this.db.global, version, settingsVersion, asOf, minCell));
    // A second warm after a batch of recomputes usually finds everything stored: then nothing to do.
    if ((await missingAnswers(this.db.global, queries)) === 0)
      return { queries: queries.length, computed: 0, pattern: pattern.stats };
    // Fresh planner statistics once per batch of recomputes, not per organisation.
    await this.db.global
      .query('ANALYZE analytics_trajectories, analytics_responses, analytics_requests')
      .catch(() => undefined);
    // Answers that one scan can serve are computed together (planBatches: the 33 questions in 17 scans).
    const batches = planBatches(queries);
    let computed = 0;
    let done = 0;
    const slowest: [number, string][] = [];
    // Two batches at a time: each is mostly one PostgreSQL scan, and there are two cores.
    let next = 0;
    const lane = async () => {
      while (next < batches.length && !this.stopping) {
        const b = batches[next++];
        const t = Date.now();
        const n = await warmBatch(this.db.global, b);
        computed += n; // (not `computed += await ...`: the other lane's additions would be lost)
        slowest.push([Date.now() - t, `${b.queries[0].endpoint} ${b.kind} x${b.queries.length}`]);
        done += b.queries.length;
        await job.updateProgress(Math.round((done / queries.length) * 100));
      }
    };
    await Promise.all([lane(), lane()]);
    if (this.stopping && next < batches.length) {
      // Shutting down: the rest is computed by the next worker (or on request meanwhile).
      await this.queue.add(JOBS.warmAnalytics, job.data, warmJobOptions());
      this.logger.log(`Analytics answers ahead: stopped for shutdown after ${done} of ${queries.length}`);
      return { queries: queries.length, computed, interrupted: true };
    }
    const pruned = await pruneAnswers(this.db.global);
    await pruneProtectedPatterns(this.db.global);
    const durationMs = Date.now() - started;
    const st = pattern.stats;
    this.logger.log(
      `Protected table: ${st.cells} cells, ${st.primary} hidden as small and ${st.secondary} to protect them (national: ${st.nationalPrimary} + ${st.nationalSecondary}) in ${st.durationMs} ms`,
    );
    this.logger.log(
      `Analytics answers ahead: ${computed} of ${queries.length} computed in ${durationMs} ms (${batches.length} scans; slowest ${slowest
        .sort((a, b) => b[0] - a[0])
        .slice(0, 3)
        .map(([ms, what]) => `${what} ${ms} ms`)
        .join(', ')}), ${pruned} old ones pruned`,
    );
    return { queries: queries.length, computed, pruned, durationMs, pattern: st };
  }
}
