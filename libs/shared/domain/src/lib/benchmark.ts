/**
 * The benchmark page (/vergelijken) and the PDF report ask the analytics API the same questions:
 * this module is the one list of them, so the figures on screen, in the report and from the API
 * are the same answers. Filters carry the API's parameter names, so they can live in the URL as is.
 */
import type { PeriodUnit } from './analytics';
import { STEP_CODES, type StepCode } from './steps';

export interface BenchmarkFilters {
  cohortFrom: string | null;
  cohortTo: string | null;
  /** Null: today (the API's default). */
  asOf: string | null;
  /** Empty: every municipality the caller may see. */
  municipalities: string[];
  clientTypes: string[];
  step: StepCode;
  withinDays: number;
  periodUnit: PeriodUnit;
}

export const BENCHMARK_DEFAULTS: BenchmarkFilters = {
  cohortFrom: null,
  cohortTo: null,
  asOf: null,
  municipalities: [],
  clientTypes: [],
  step: 'iu_in_balance',
  withinDays: 60,
  periodUnit: 'month',
};

/** The filter names, in the order they appear in a URL. */
export const BENCHMARK_FILTER_NAMES = [
  'cohortFrom',
  'cohortTo',
  'asOf',
  'municipalities',
  'clientTypes',
  'step',
  'withinDays',
  'periodUnit',
] as const;

/** Steps after first contact: the ones a share can be about. */
export const LADDER_STEPS = STEP_CODES.filter((s) => s !== 'first_contact') as Exclude<StepCode, 'first_contact'>[];

/** The tiles (docs/analytics.md): fixed steps and item, whatever the step filter says. */
export const TILE_BALANCE_STEP: StepCode = 'iu_in_balance';
export const TILE_TIME_STEP: StepCode = 'iu_in_view';
export const TILE_EXPERIENCE_ITEM = 'goed_geholpen';

export type BenchmarkEndpoint = 'step-attainment' | 'dropout' | 'time-to-step' | 'experience' | 'support';

export interface BenchmarkRequest {
  /** Stable name of the question, e.g. `attainment`, `ladder:goal_known`, `ownTime`. */
  key: string;
  endpoint: BenchmarkEndpoint;
  /** Query parameters exactly as the API takes them (only those that are set). */
  params: Record<string, string>;
}

/** Filters as query parameters: defaults left out, so the default view has the shortest URL. */
export function benchmarkFilterParams(f: BenchmarkFilters): Record<string, string> {
  const p: Record<string, string> = {};
  if (f.cohortFrom) p['cohortFrom'] = f.cohortFrom;
  if (f.cohortTo) p['cohortTo'] = f.cohortTo;
  if (f.asOf) p['asOf'] = f.asOf;
  if (f.municipalities.length) p['municipalities'] = f.municipalities.join(',');
  if (f.clientTypes.length) p['clientTypes'] = f.clientTypes.join(',');
  if (f.step !== BENCHMARK_DEFAULTS.step) p['step'] = f.step;
  if (f.withinDays !== BENCHMARK_DEFAULTS.withinDays) p['withinDays'] = String(f.withinDays);
  if (f.periodUnit !== BENCHMARK_DEFAULTS.periodUnit) p['periodUnit'] = f.periodUnit;
  return p;
}

/**
 * Every question of the page and the report. `own` is the caller's organisation's municipalities
 * (the tiles' "your municipalities"); the national figures are the totals over all municipalities.
 * The first request is the one the first chart needs.
 */
export function benchmarkRequests(
  f: BenchmarkFilters,
  own: readonly string[],
  items: readonly string[],
): BenchmarkRequest[] {
  const base: Record<string, string> = {};
  if (f.cohortFrom) base['cohortFrom'] = f.cohortFrom;
  if (f.cohortTo) base['cohortTo'] = f.cohortTo;
  if (f.asOf) base['asOf'] = f.asOf;
  if (f.clientTypes.length) base['clientTypes'] = f.clientTypes.join(',');
  const selected: Record<string, string> = f.municipalities.length
    ? { ...base, municipalities: f.municipalities.join(',') }
    : base;
  const within = String(f.withinDays);
  const period = { groupBy: 'period', periodUnit: f.periodUnit };
  const req = (key: string, endpoint: BenchmarkEndpoint, params: Record<string, string>): BenchmarkRequest => ({
    key,
    endpoint,
    params,
  });
  const out: BenchmarkRequest[] = [
    req('attainment', 'step-attainment', {
      ...selected,
      step: f.step,
      withinDays: within,
      groupBy: 'municipality',
    }),
    req('dropout', 'dropout', { ...selected, groupBy: 'municipality' }),
    req('support', 'support', { ...selected, groupBy: 'municipality' }),
    req('time', 'time-to-step', {
      ...selected,
      step: f.step,
      groupBy: 'clientType',
    }),
    req('trendAttainment', 'step-attainment', {
      ...selected,
      step: f.step,
      withinDays: within,
      ...period,
    }),
    req('trendDropout', 'dropout', { ...selected, ...period }),
    ...LADDER_STEPS.map((s) =>
      req(`ladder:${s}`, 'step-attainment', {
        ...selected,
        step: s,
        withinDays: within,
        groupBy: 'clientType',
      }),
    ),
    ...items.map((item) =>
      req(`experience:${item}`, 'experience', {
        ...selected,
        item,
        groupBy: 'clientType',
      }),
    ),
  ];
  // Tiles: the national total (no municipality filter) and the caller's own municipalities.
  const tiles = (prefix: 'national' | 'own', scope: Record<string, string>) => [
    req(`${prefix}Balance`, 'step-attainment', {
      ...scope,
      step: TILE_BALANCE_STEP,
      withinDays: within,
      groupBy: 'clientType',
    }),
    req(`${prefix}Dropout`, 'dropout', { ...scope, groupBy: 'clientType' }),
    req(`${prefix}Time`, 'time-to-step', {
      ...scope,
      step: TILE_TIME_STEP,
      groupBy: 'clientType',
    }),
    req(`${prefix}Experience`, 'experience', {
      ...scope,
      item: TILE_EXPERIENCE_ITEM,
      groupBy: 'clientType',
    }),
  ];
  out.push(...tiles('national', base));
  if (own.length) out.push(...tiles('own', { ...base, municipalities: [...own].join(',') }));
  return out;
}

/** `?a=1&b=2` without the leading `?`, keys in a stable order. */
export function toQueryString(params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(params[k])}`)
    .join('&');
}

export interface FilterProblem {
  field: (typeof BENCHMARK_FILTER_NAMES)[number];
  value: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Filters from a URL query. A value that is not valid is not silently corrected: it is reported
 * as a problem (the page says which filter) and the default is used until it is changed.
 */
export function parseBenchmarkFilters(query: Record<string, string | undefined>): {
  filters: BenchmarkFilters;
  problems: FilterProblem[];
} {
  const f: BenchmarkFilters = {
    ...BENCHMARK_DEFAULTS,
    municipalities: [],
    clientTypes: [],
  };
  const problems: FilterProblem[] = [];
  const date = (name: 'cohortFrom' | 'cohortTo' | 'asOf') => {
    const v = query[name];
    if (!v) return;
    if (DATE.test(v) && !Number.isNaN(Date.parse(v))) f[name] = v;
    else problems.push({ field: name, value: v });
  };
  date('cohortFrom');
  date('cohortTo');
  date('asOf');
  const list = (name: 'municipalities' | 'clientTypes', pattern: RegExp) => {
    const v = query[name];
    if (!v) return;
    const items = v.split(',').filter((x) => x !== '');
    if (items.every((x) => pattern.test(x))) f[name] = [...new Set(items)];
    else problems.push({ field: name, value: v });
  };
  list('municipalities', /^GM\d{4}$/);
  list('clientTypes', /^[a-z0-9_-]{1,64}$/);
  const step = query['step'];
  if (step) {
    if ((LADDER_STEPS as readonly string[]).includes(step)) f.step = step as StepCode;
    else problems.push({ field: 'step', value: step });
  }
  const within = query['withinDays'];
  if (within) {
    if (/^\d{1,4}$/.test(within) && Number(within) <= 3650) f.withinDays = Number(within);
    else problems.push({ field: 'withinDays', value: within });
  }
  const unit = query['periodUnit'];
  if (unit) {
    if (unit === 'month' || unit === 'quarter') f.periodUnit = unit;
    else problems.push({ field: 'periodUnit', value: unit });
  }
  if (f.cohortFrom && f.cohortTo && f.cohortFrom > f.cohortTo)
    problems.push({ field: 'cohortFrom', value: f.cohortFrom });
  return { filters: f, problems };
}
