/**
 * The benchmark page (/vergelijken) and the PDF report ask the analytics API the same questions:
 * this module is the one list of them, so the figures on screen, in the report and from the API
 * are the same answers. Filters carry the API's parameter names, so they can live in the URL as is.
 */
import type {
  WaitingTimeAnswer,
  DropoutAnswer,
  ExperienceAnswer,
  PeriodUnit,
  StepAttainmentAnswer,
  SupportAnswer,
  TimeToStepAnswer,
} from './analytics';
import { STEP_CODES, type StepCode } from './steps';

export interface BenchmarkFilters {
  /**
   * The window where figures about other organisations' clients are shown (metrics.md "Protected
   * figures"): a quarter `2025-Q3`, a year `2025`; null: the last four complete quarters.
   */
  cohort: string | null;
  /** Free dates: for one's own municipalities only. */
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
  /** The time chart's lines: per client type or per municipality. */
  timeBy: TimeBy;
  /** A comparison group's id: its total beside the national one ("Vergelijk met"); null: national only. */
  compareTo: string | null;
}

export const TIME_BY = ['clientType', 'municipality'] as const;
export type TimeBy = (typeof TIME_BY)[number];

export const BENCHMARK_DEFAULTS: BenchmarkFilters = {
  cohort: null,
  cohortFrom: null,
  cohortTo: null,
  asOf: null,
  municipalities: [],
  clientTypes: [],
  step: 'iu_in_balance',
  withinDays: 60,
  periodUnit: 'month',
  timeBy: 'clientType',
  compareTo: null,
};

/** The filter names, in the order they appear in a URL. */
export const BENCHMARK_FILTER_NAMES = [
  'cohort',
  'cohortFrom',
  'cohortTo',
  'asOf',
  'municipalities',
  'clientTypes',
  'step',
  'withinDays',
  'periodUnit',
  'timeBy',
  'compareTo',
] as const;

/** Steps after first contact: the ones a share can be about. */
export const LADDER_STEPS = STEP_CODES.filter((s) => s !== 'first_contact') as Exclude<StepCode, 'first_contact'>[];

/** The tiles (docs/analytics.md): fixed steps and item, whatever the step filter says. */
export const TILE_BALANCE_STEP: StepCode = 'iu_in_balance';
export const TILE_TIME_STEP: StepCode = 'iu_in_view';
export const TILE_EXPERIENCE_ITEM = 'goed_geholpen';

export type BenchmarkEndpoint =
  | 'step-attainment'
  | 'dropout'
  | 'time-to-step'
  | 'experience'
  | 'support'
  | 'waiting-time';

export interface BenchmarkRequest {
  /** Stable name of the question, e.g. `attainment`, `ladder:goal_known`, `ownTime`. */
  key: string;
  endpoint: BenchmarkEndpoint;
  /** Query parameters exactly as the API takes them (only those that are set). */
  params: Record<string, string>;
}

/**
 * The answer type of each question key of benchmarkRequests: the page reads typed rows (issue #24: no
 * records of unknown for an answer).
 */
export type BenchmarkAnswerOf<K extends string> = K extends
  | 'attainment'
  | 'trendAttainment'
  | `ladder:${string}`
  | `${'national' | 'own'}Balance`
  ? StepAttainmentAnswer
  : K extends 'dropout' | 'trendDropout' | `${'national' | 'own'}Dropout`
    ? DropoutAnswer
    : K extends 'time' | 'speed' | `${'national' | 'own'}Time`
      ? TimeToStepAnswer
      : K extends `experience:${string}` | `${'national' | 'own'}Experience`
        ? ExperienceAnswer
        : K extends 'support'
          ? SupportAnswer
          : K extends 'waiting' | `${'national' | 'own'}Waiting`
            ? WaitingTimeAnswer
            : never;

/** Filters as query parameters: defaults left out, so the default view has the shortest URL. */
export function benchmarkFilterParams(f: BenchmarkFilters): Record<string, string> {
  const p: Record<string, string> = {};
  if (f.cohort) p['cohort'] = f.cohort;
  if (f.cohortFrom) p['cohortFrom'] = f.cohortFrom;
  if (f.cohortTo) p['cohortTo'] = f.cohortTo;
  if (f.asOf) p['asOf'] = f.asOf;
  if (f.municipalities.length) p['municipalities'] = f.municipalities.join(',');
  if (f.clientTypes.length) p['clientTypes'] = f.clientTypes.join(',');
  if (f.step !== BENCHMARK_DEFAULTS.step) p['step'] = f.step;
  if (f.withinDays !== BENCHMARK_DEFAULTS.withinDays) p['withinDays'] = String(f.withinDays);
  if (f.periodUnit !== BENCHMARK_DEFAULTS.periodUnit) p['periodUnit'] = f.periodUnit;
  if (f.timeBy !== BENCHMARK_DEFAULTS.timeBy) p['timeBy'] = f.timeBy;
  if (f.compareTo) p['compareTo'] = f.compareTo;
  return p;
}

/**
 * Whether the filters show figures about other organisations' clients: a selected municipality
 * (none selected: any) where another organisation serves or has clients (`protectedCodes`).
 */
export function showsProtected(f: BenchmarkFilters, protectedCodes: readonly string[]): boolean {
  return f.municipalities.length ? f.municipalities.some((m) => protectedCodes.includes(m)) : protectedCodes.length > 0;
}

/**
 * Every question of the page and the report. `own` is the caller's organisation's municipalities
 * (the tiles' "your municipalities"); the national figures are the totals over all municipalities.
 * `protectedCodes`: municipalities where other organisations serve or have clients. Where those are
 * shown (metrics.md "Protected figures"), every question takes the window `cohort` (a quarter, a
 * year, or the last four complete quarters), as of today, periods in quarters; the charts per client
 * type over several chosen municipalities show the nation (no total over a chosen set). The national
 * tiles are protected always: they take the window too. The first request is the one the first chart needs.
 */
export function benchmarkRequests(
  f: BenchmarkFilters,
  own: readonly string[],
  items: readonly string[],
  protectedCodes: readonly string[] = [],
): BenchmarkRequest[] {
  const prot = showsProtected(f, protectedCodes);
  const windowed: Record<string, string> = f.cohort ? { cohort: f.cohort } : {};
  if (f.clientTypes.length) windowed['clientTypes'] = f.clientTypes.join(',');
  const free: Record<string, string> = {};
  for (const k of ['cohort', 'cohortFrom', 'cohortTo', 'asOf'] as const) if (f[k]) free[k] = f[k] as string;
  if (f.clientTypes.length) free['clientTypes'] = f.clientTypes.join(',');
  const base = prot ? windowed : free;
  const selected: Record<string, string> = f.municipalities.length
    ? { ...base, municipalities: f.municipalities.join(',') }
    : base;
  // Per client type or period (no municipality rows): over several chosen municipalities with another
  // organisation's among them, the nation.
  const typed = prot && f.municipalities.length > 1 ? base : selected;
  const within = String(f.withinDays);
  const period = { groupBy: 'period', periodUnit: prot ? 'quarter' : f.periodUnit };
  const req = (key: string, endpoint: BenchmarkEndpoint, params: Record<string, string>): BenchmarkRequest => ({
    key,
    endpoint,
    params,
  });
  // The comparison group's total rides along with the charts per municipality ("Vergelijk met").
  const group: Record<string, string> = f.compareTo ? { compareTo: f.compareTo } : {};
  const out: BenchmarkRequest[] = [
    req('attainment', 'step-attainment', {
      ...selected,
      ...group,
      step: f.step,
      withinDays: within,
      groupBy: 'municipality',
    }),
    req('dropout', 'dropout', { ...selected, ...group, groupBy: 'municipality' }),
    req('support', 'support', { ...selected, groupBy: 'municipality' }),
    // Waiting time per municipality (#26): the chart with the 4-week line and its table.
    req('waiting', 'waiting-time', { ...selected, ...group, groupBy: 'municipality' }),
    req('time', 'time-to-step', {
      ...typed,
      step: f.step,
      groupBy: 'clientType',
    }),
    // Speed per municipality: the table "Snelheid per gemeente", the summary sentence, and the time
    // chart's lines when it groups by municipality.
    req('speed', 'time-to-step', {
      ...selected,
      ...group,
      step: f.step,
      groupBy: 'municipality',
    }),
    req('trendAttainment', 'step-attainment', {
      ...typed,
      step: f.step,
      withinDays: within,
      ...period,
    }),
    req('trendDropout', 'dropout', { ...typed, ...period }),
    ...LADDER_STEPS.map((s) =>
      req(`ladder:${s}`, 'step-attainment', {
        ...typed,
        step: s,
        withinDays: within,
        groupBy: 'clientType',
      }),
    ),
    ...items.map((item) =>
      req(`experience:${item}`, 'experience', {
        ...typed,
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
    req(`${prefix}Waiting`, 'waiting-time', { ...scope, groupBy: 'clientType' }),
  ];
  out.push(...tiles('national', windowed));
  // Beside protected national figures, one's own in the same window; and in a window anyway when
  // another organisation also serves one of one's own municipalities (those figures are protected).
  const ownProtected = prot || own.some((m) => protectedCodes.includes(m));
  const ownScope = ownProtected ? { ...windowed, cohort: f.cohort ?? 'rolling' } : free;
  if (own.length) out.push(...tiles('own', { ...ownScope, municipalities: [...own].join(',') }));
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
  const cohort = query['cohort'];
  if (cohort) {
    if (/^\d{4}(-Q[1-4])?$/.test(cohort)) f.cohort = cohort;
    else problems.push({ field: 'cohort', value: cohort });
  }
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
  const timeBy = query['timeBy'];
  if (timeBy) {
    if ((TIME_BY as readonly string[]).includes(timeBy)) f.timeBy = timeBy as TimeBy;
    else problems.push({ field: 'timeBy', value: timeBy });
  }
  const compareTo = query['compareTo'];
  if (compareTo) {
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(compareTo)) f.compareTo = compareTo;
    else problems.push({ field: 'compareTo', value: compareTo });
  }
  if (f.cohortFrom && f.cohortTo && f.cohortFrom > f.cohortTo)
    problems.push({ field: 'cohortFrom', value: f.cohortFrom });
  return { filters: f, problems };
}
