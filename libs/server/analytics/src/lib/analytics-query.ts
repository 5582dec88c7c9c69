import { createHash } from 'node:crypto';
import type { GroupKey, PeriodUnit, StepCode } from '@klantmonitor/shared/domain';

export const ANALYTICS_ENDPOINTS = [
  'step-attainment',
  'dropout',
  'time-to-step',
  'experience',
  'support',
  'response-rate',
  'waiting-time',
] as const;
export type AnalyticsEndpoint = (typeof ANALYTICS_ENDPOINTS)[number];

/**
 * A query with every default resolved (asOf a date, lists sorted, groupBy in canonical order), so
 * equal questions have equal cache keys. Suppression (minCell) is not part of it: it is applied
 * per caller on the way out.
 */
export interface AnalyticsQuery {
  endpoint: AnalyticsEndpoint;
  asOf: string;
  cohortFrom: string | null;
  cohortTo: string | null;
  /** Null: every municipality that takes part. */
  municipalities: string[] | null;
  clientTypes: string[] | null;
  groupBy: GroupKey[];
  periodUnit: PeriodUnit;
  step?: StepCode;
  withinDays?: number | null;
  days?: number[];
  item?: string;
  sentFrom?: string | null;
  sentTo?: string | null;
}

export function cacheKey(q: AnalyticsQuery): string {
  // Absent and null mean the same (the default), so neither is part of the key.
  const entries = Object.entries(q).filter(([, v]) => v !== undefined && v !== null);
  const canonical = JSON.stringify(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${q.endpoint}:${createHash('sha256').update(canonical).digest('base64url')}`;
}
