import { BENCHMARK_DEFAULTS, STEP_CODES, type GroupKey } from '@klantmonitor/shared/domain';
import { KLANTBELEVING_V1 } from '@klantmonitor/shared/questionnaires';
import { protectedWindow } from '@klantmonitor/shared/metrics';
import type { AnalyticsQuery } from './analytics-query';

/** The attainment window the dashboards open with (the national study's "within 60 days"). */
export const DEFAULT_WITHIN_DAYS = 60;

/**
 * What the dashboards show before anyone touches a filter: national figures, which are protected
 * (metrics.md "Protected figures"), so in their default window: the last four complete quarters
 * (for step attainment: whose withinDays have passed), as of today, periods in quarters.
 * The worker computes these after every recompute, so opening a dashboard reads stored answers.
 */
export function dashboardQueries(asOf: string): AnalyticsQuery[] {
  const window = (days: number) => {
    const w = protectedWindow(undefined, asOf, days);
    return 'problem' in w ? { cohortFrom: null, cohortTo: null } : { cohortFrom: w.from, cohortTo: w.to };
  };
  const base = {
    asOf,
    ...window(0),
    municipalities: null,
    clientTypes: null,
    periodUnit: 'month' as const,
  };
  const attainment = (withinDays: number) => ({ ...base, ...window(withinDays) });
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
        ...attainment(DEFAULT_WITHIN_DAYS),
        endpoint: 'step-attainment',
        groupBy,
        step,
        withinDays: DEFAULT_WITHIN_DAYS,
      });
      out.push({ ...base, endpoint: 'time-to-step', groupBy, step });
    }
    out.push({ ...base, endpoint: 'dropout', groupBy, withinDays: null });
    out.push({ ...base, endpoint: 'support', groupBy });
    out.push({ ...base, endpoint: 'waiting-time', groupBy });
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
    ...attainment(BENCHMARK_DEFAULTS.withinDays),
    periodUnit: 'quarter',
    endpoint: 'step-attainment',
    groupBy: ['period'],
    step: BENCHMARK_DEFAULTS.step,
    withinDays: BENCHMARK_DEFAULTS.withinDays,
  });
  out.push({
    ...base,
    periodUnit: 'quarter',
    endpoint: 'dropout',
    groupBy: ['period'],
    withinDays: null,
  });
  return out;
}
