/**
 * Every queue, job name, payload type and default job option, in one place for producers (api) and
 * consumers (worker). Later capabilities add their queues here.
 */
import type { DefaultJobOptions } from 'bullmq';

export const QUEUES = {
  /** Housekeeping of the platform itself: the worker's heartbeat. */
  system: 'system',
  /** Caseload upkeep: flags stalled trajectories, erases contact data after the retention period. */
  caseload: 'caseload',
  /** Questionnaire planning: the daily planner, per-trajectory planning, reminder and expiry sweeps. */
  questionnaires: 'questionnaires',
  /** Delivery by e-mail (SMTP); its own queue so the mail provider has its own rate limit. */
  deliverEmail: 'deliver-email',
  /** Delivery by SMS (provider over HTTP), rate-limited on its own. */
  deliverSms: 'deliver-sms',
  /** Analytics: per-organisation recompute of the facts, then the dashboards' answers computed ahead. */
  analytics: 'analytics',
  /** Segmentation runs: k-means scenarios over intake answers, in a worker thread. */
  segmentation: 'segmentation',
  /** E-mails about one's own account: invitations and forgotten passwords (their links). */
  accountMail: 'account-mail',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const ALL_QUEUES: QueueName[] = Object.values(QUEUES);

export const JOBS = {
  heartbeat: 'heartbeat',
  markStalled: 'mark-stalled',
  /** Erases the contact data of ended trajectories once the retention period is over. */
  eraseContacts: 'erase-contacts',
  /** Plans due waves for every open trajectory (or the given ones) and queues their invitations. */
  planInvitations: 'plan-invitations',
  /** Queues reminders that are due and expires invitations past their last day. */
  sweepInvitations: 'sweep-invitations',
  sendInvitation: 'send-invitation',
  sendReminder: 'send-reminder',
  /** Rewrites one organisation's analytics facts (or fans out to every organisation without organisationId). */
  recomputeAnalytics: 'recompute-analytics',
  /** Computes the dashboards' usual answers for the current data version and prunes older ones. */
  warmAnalytics: 'warm-analytics',
  /** Computes one segmentation run (scenarios kMin..kMax). */
  segmentationRun: 'segmentation-run',
  /** Sends the account e-mails that were asked for (invitations, forgotten passwords). */
  sendAccountLinks: 'send-account-links',
} as const;

/** Stable ids of repeating jobs (job schedulers), so a restart never registers one twice. */
export const SCHEDULERS = {
  heartbeat: 'system:heartbeat',
  markStalled: 'caseload:mark-stalled',
  eraseContacts: 'caseload:erase-contacts',
  planInvitations: 'questionnaires:plan',
  sweepInvitations: 'questionnaires:sweep',
  recomputeAnalytics: 'analytics:nightly',
  sendAccountLinks: 'account-mail:send',
} as const;

/** How often the worker looks for account e-mails to send (a person waits for a reset e-mail). */
export const ACCOUNT_LINKS_EVERY_MS = 3_000;

/** Flags stalled trajectories as of `today` (YYYY-MM-DD; default: today in Amsterdam), for all organisations or one. */
export interface MarkStalledPayload {
  today?: string;
  organisationId?: string;
}

/** Erases contact data as of `today` (default: today in Amsterdam), for all organisations or one. */
export interface EraseContactsPayload {
  today?: string;
  organisationId?: string;
}

/** Plans questionnaire waves as of `today` (default: today in Amsterdam); all organisations, one, or some trajectories of one. */
export interface PlanInvitationsPayload {
  today?: string;
  organisationId?: string;
  trajectoryIds?: string[];
}

/** Reminders due and expiries as of `today` (default: today in Amsterdam), for all organisations or one. */
export interface SweepInvitationsPayload {
  today?: string;
  organisationId?: string;
}

/** Recompute one organisation's analytics; without organisationId: every organisation (the nightly run). */
export interface SegmentationRunPayload {
  organisationId: string;
  runId: string;
}

export interface RecomputeAnalyticsPayload {
  organisationId?: string;
  /** Who asked (user id) or what (import, nightly), for the logs. */
  requestedBy?: string;
}

export interface WarmAnalyticsPayload {
  /** Date the answers are for (default: today in Amsterdam). */
  asOf?: string;
}

/**
 * One recompute per organisation at a time, and at most one waiting behind it: a request while one
 * runs is kept and runs after it (so changes made during a run are never missed), further ones merge.
 */
export const recomputeJobOptions = (organisationId: string) => ({
  deduplication: { id: `recompute-${organisationId}`, keepLastIfActive: true },
});
export const warmJobOptions = () => ({ deduplication: { id: 'warm-analytics', keepLastIfActive: true } });

/** Extra options for jobs that arrive through the outbox (the relay only knows queue, name and data). */
export function outboxJobOptions(queue: string, name: string, data: Record<string, unknown>): Record<string, unknown> {
  if (queue === QUEUES.analytics && name === JOBS.recomputeAnalytics && typeof data['organisationId'] === 'string') {
    return recomputeJobOptions(data['organisationId']);
  }
  return {};
}

/** One message for one invitation (the invitation itself or its reminder); the job id is stable per invitation. */
export interface DeliveryPayload {
  organisationId: string;
  invitationId: string;
}

/** Stable BullMQ job ids (no ':' allowed there): one send and one reminder job per invitation. */
export const deliveryJobId = (kind: 'send' | 'remind', invitationId: string) => `${kind}-${invitationId}`;

export interface HeartbeatPayload {
  /** Host name of the worker that scheduled it; the processing worker writes its own. */
  scheduledBy: string;
}

/** Redis key where a worker writes when it last ran a heartbeat; health reads it. */
export const WORKER_HEARTBEAT_KEY = 'km:worker:heartbeat';
export const HEARTBEAT_EVERY_MS = 15_000;

/** Retries with backoff; finished jobs are removed by age and count so Redis never fills up. */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
};
