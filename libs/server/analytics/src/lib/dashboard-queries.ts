import { BENCHMARK_DEFAULTS, STEP_CODES, type GroupKey } from '@klantmonitor/shared/domain';
import { KLANTBELEVING_V1 } from '@klantmonitor/shared/questionnaires';
import type { AnalyticsQuery } from './analytics-query';

/** The attainment window the dashboards open with (the national study's "within 60 days"). */
export const DEFAULT_WITHIN_DAYS = 60;

/**
 * What the dashboards show before anyone touches a filter: national, all cohorts, as of today.
 * The worker computes these after every recompute, so opening a dashboard reads stored answers.
 */
export function dashboardQueries(asOf: string): AnalyticsQuery[] {
  const base = {
    asOf,
    cohortFrom: null,
    cohortTo: null,
    municipalities: null,
    clientTypes: null,
    periodUnit: 'month' as const,
  };
  const groupings: GroupKey[][] = [['municipality'], ['clientType']];
  const steps = STEP_CODES.filter((s) => s !== 'first_contact');
  const out: AnalyticsQuery[] = [];
  // The heaviest first (experience joins the answers), so two lanes finish together.
  for (const item of KLANTBELEVING_V1.items)
    out.push({
      ...base,
      endpoint: 'experience',
      groupBy: ['clientType'],
      item: item.code,
    });
  for (const groupBy of groupings) {
    for (const step of steps) {
      out.push({
        ...base,
        endpoint: 'step-attainment',
        groupBy,
        step,
        withinDays: DEFAULT_WITHIN_DAYS,
      });
      out.push({ ...base, endpoint: 'time-to-step', groupBy, step });
    }
    out.push({ ...base, endpoint: 'dropout', groupBy, withinDays: null });
    out.push({ ...base, endpoint: 'support', groupBy });
    out.push({
      ...base,
      endpoint: 'response-rate',
      groupBy,
      sentFrom: null,
      sentTo: null,
    });
  }
  // The trend chart of /vergelijken as it opens (per month of first contact): without these, a first
  // visit after a recompute waited for two answers computed on request.
  out.push({
    ...base,
    endpoint: 'step-attainment',
    groupBy: ['period'],
    step: BENCHMARK_DEFAULTS.step,
    withinDays: BENCHMARK_DEFAULTS.withinDays,
  });
  out.push({
    ...base,
    endpoint: 'dropout',
    groupBy: ['period'],
    withinDays: null,
  });
  return out;
}
