import { BadRequestException } from '@nestjs/common';
import {
  GROUP_KEYS,
  MIN_CELL_FLOOR,
  MIN_CELL_MAX,
  PERIOD_UNITS,
  STEP_CODES,
  type GroupKey,
  type PeriodUnit,
  type StepCode,
  isIsoDate,
} from '@klantmonitor/shared/domain';
import { DEFAULT_WITHIN_DAYS, type AnalyticsEndpoint, type AnalyticsQuery } from '@klantmonitor/server/analytics';

const COMMON = ['cohortFrom', 'cohortTo', 'asOf', 'municipalities', 'clientTypes', 'groupBy', 'periodUnit', 'minCell'];
const SPECIFIC: Record<AnalyticsEndpoint, string[]> = {
  'step-attainment': ['step', 'withinDays'],
  dropout: ['withinDays'],
  'time-to-step': ['step', 'days'],
  experience: ['item'],
  support: [],
  'response-rate': ['sentFrom', 'sentTo'],
};
export const MAX_DAYS = 3650;
const MAX_LIST = 400;
const MAX_QUERY_LENGTH = 8192;
const CBS_CODE = /^GM\d{4}$/;
const TYPE_CODE = /^[a-z0-9_-]{1,64}$/;
const ITEM_CODE = /^[a-z0-9_]{1,64}$/;

export const paramError = (field: string, message: string) =>
  new BadRequestException({
    message: `${field} ${message}`,
    details: [{ field, message }],
  });

export interface ParsedAnalyticsQuery {
  query: AnalyticsQuery;
  /** What the caller asked for; null: the organisation's own setting (default 10). */
  minCell: number | null;
}

function single(raw: Record<string, unknown>, name: string): string | undefined {
  const v = raw[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw paramError(name, 'must be given once');
  return v;
}

function date(raw: Record<string, unknown>, name: string): string | null {
  const v = single(raw, name);
  if (v === undefined || v === '') return null;
  if (!isIsoDate(v)) throw paramError(name, 'must be a date as YYYY-MM-DD');
  return v;
}

function wholeNumber(raw: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const v = single(raw, name);
  if (v === undefined) return undefined;
  if (!/^\d{1,7}$/.test(v) || Number(v) < min || Number(v) > max)
    throw paramError(name, `must be a whole number from ${min} to ${max}`);
  return Number(v);
}

function list(
  raw: Record<string, unknown>,
  name: string,
  check: (item: string) => boolean,
  what: string,
): string[] | null {
  const v = single(raw, name);
  if (v === undefined || v === '') return null;
  const items = [...new Set(v.split(',').map((s) => s.trim()))];
  if (items.length > MAX_LIST) throw paramError(name, `may list at most ${MAX_LIST} values`);
  const bad = items.find((i) => !check(i));
  if (bad !== undefined) throw paramError(name, `has ${JSON.stringify(bad.slice(0, 40))}, which is not ${what}`);
  return items.sort();
}

/**
 * The query of an analytics endpoint, strictly: unknown or repeated parameters, malformed dates and
 * numbers, unknown steps and groupBy values are a 400 naming the parameter. Whether municipalities,
 * client types and items exist is checked against the data by the service.
 */
export function parseAnalyticsQuery(
  endpoint: AnalyticsEndpoint,
  raw: Record<string, unknown>,
  today: string,
): ParsedAnalyticsQuery {
  const allowed = new Set([...COMMON, ...SPECIFIC[endpoint]]);
  const unknown = Object.keys(raw).find((k) => !allowed.has(k));
  if (unknown !== undefined)
    throw paramError(unknown.slice(0, 64), `is not a parameter of ${endpoint} (allowed: ${[...allowed].join(', ')})`);
  const length = Object.entries(raw).reduce((n, [k, v]) => n + k.length + String(v).length, 0);
  if (length > MAX_QUERY_LENGTH) throw paramError('query', `is longer than ${MAX_QUERY_LENGTH} characters`);

  const asOf = date(raw, 'asOf') ?? today;
  if (asOf > today) throw paramError('asOf', 'may not be after today: there are no figures for the future yet');
  const cohortFrom = date(raw, 'cohortFrom');
  const cohortTo = date(raw, 'cohortTo');
  if (cohortFrom && cohortTo && cohortFrom > cohortTo) throw paramError('cohortFrom', 'must not be after cohortTo');

  const groupByList =
    list(raw, 'groupBy', (g) => (GROUP_KEYS as readonly string[]).includes(g), `one of ${GROUP_KEYS.join(', ')}`) ?? [];
  const groupBy = GROUP_KEYS.filter((k) => groupByList.includes(k)) as GroupKey[];
  const unit = single(raw, 'periodUnit');
  if (unit !== undefined && !(PERIOD_UNITS as readonly string[]).includes(unit))
    throw paramError('periodUnit', 'must be month or quarter');
  const periodUnit: PeriodUnit = groupBy.includes('period') && unit === 'quarter' ? 'quarter' : 'month';
  const minCell = wholeNumber(raw, 'minCell', MIN_CELL_FLOOR, MIN_CELL_MAX) ?? null;

  const query: AnalyticsQuery = {
    endpoint,
    asOf,
    cohortFrom,
    cohortTo,
    municipalities: list(raw, 'municipalities', (m) => CBS_CODE.test(m), 'a CBS code such as GM0344'),
    clientTypes: list(raw, 'clientTypes', (t) => TYPE_CODE.test(t), 'a client type code'),
    groupBy,
    periodUnit,
  };

  if (endpoint === 'step-attainment' || endpoint === 'time-to-step') {
    const step = single(raw, 'step');
    if (step === undefined || step === '') throw paramError('step', `is required: one of ${STEP_CODES.join(', ')}`);
    if (!(STEP_CODES as readonly string[]).includes(step))
      throw paramError('step', `must be one of ${STEP_CODES.join(', ')}`);
    query.step = step as StepCode;
  }
  if (endpoint === 'step-attainment')
    query.withinDays = wholeNumber(raw, 'withinDays', 0, MAX_DAYS) ?? DEFAULT_WITHIN_DAYS;
  if (endpoint === 'dropout') query.withinDays = wholeNumber(raw, 'withinDays', 0, MAX_DAYS) ?? null;
  if (endpoint === 'time-to-step') {
    const days = list(
      raw,
      'days',
      (d) => /^\d{1,4}$/.test(d) && Number(d) <= MAX_DAYS,
      `a whole number from 0 to ${MAX_DAYS}`,
    );
    if (days) query.days = days.map(Number).sort((a, b) => a - b);
  }
  if (endpoint === 'experience') {
    const item = single(raw, 'item');
    if (item === undefined || item === '')
      throw paramError('item', 'is required: a questionnaire item code such as geloof_in_oplossing');
    if (!ITEM_CODE.test(item))
      throw paramError('item', 'must be a questionnaire item code such as geloof_in_oplossing');
    query.item = item;
  }
  if (endpoint === 'response-rate') {
    query.sentFrom = date(raw, 'sentFrom');
    query.sentTo = date(raw, 'sentTo');
    if (query.sentFrom && query.sentTo && query.sentFrom > query.sentTo)
      throw paramError('sentFrom', 'must not be after sentTo');
  }
  return { query, minCell };
}
