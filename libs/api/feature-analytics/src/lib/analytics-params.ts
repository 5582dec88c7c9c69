import { BadRequestException } from '@nestjs/common';
import { GROUP_KEYS, type GroupKey, type PeriodUnit } from '@klantmonitor/shared/domain';
import { DEFAULT_WITHIN_DAYS, type AnalyticsEndpoint, type AnalyticsQuery } from '@klantmonitor/server/analytics';
import { createValidationPipe } from '@klantmonitor/api/core';
import {
  AnalyticsCommonQueryDto,
  DropoutQueryDto,
  ExperienceQueryDto,
  ResponseRateQueryDto,
  StepAttainmentQueryDto,
  SupportQueryDto,
  TimeToStepQueryDto,
  WaitingTimeQueryDto,
} from './dto/analytics-query.dto';

/** The DTO that checks each endpoint's query. */
export const ANALYTICS_QUERY_DTOS: Record<AnalyticsEndpoint, new () => AnalyticsCommonQueryDto> = {
  'step-attainment': StepAttainmentQueryDto,
  dropout: DropoutQueryDto,
  'time-to-step': TimeToStepQueryDto,
  experience: ExperienceQueryDto,
  support: SupportQueryDto,
  'response-rate': ResponseRateQueryDto,
  'waiting-time': WaitingTimeQueryDto,
};

export const paramError = (field: string, message: string) =>
  new BadRequestException({
    message: `${field} ${message}`,
    details: [{ field, message }],
  });

/** The checked query of one analytics endpoint (the DTO of that endpoint, as the validation pipe leaves it). */
export type AnalyticsQueryInput = AnalyticsCommonQueryDto &
  Partial<
    Omit<StepAttainmentQueryDto, 'withinDays'> &
      DropoutQueryDto &
      Omit<TimeToStepQueryDto, 'step'> &
      ExperienceQueryDto &
      ResponseRateQueryDto
  >;

export interface ParsedAnalyticsQuery {
  query: AnalyticsQuery;
  /** What the caller asked for; null: the organisation's own setting (default 10). */
  minCell: number | null;
  /** `cohort` as asked (2025-Q3, 2025), null when left out: resolved with the municipalities (service). */
  cohort: string | null;
  /** The parameters the caller gave (defaults are no choice: protected answers refuse some choices only). */
  given: ReadonlySet<string>;
  /** A comparison group's id: the answer also carries the group's total as `reference`. */
  compareTo?: string | null;
}

/**
 * From the endpoint's checked DTO to the query the figures are computed for: defaults filled in, lists
 * in one canonical order, and the checks that need today's date or two parameters (a 400 naming the
 * first of them). The form of each parameter was checked by the DTO (dto/analytics-query.dto.ts).
 */
export function toAnalyticsQuery(
  endpoint: AnalyticsEndpoint,
  dto: AnalyticsQueryInput,
  today: string,
): ParsedAnalyticsQuery {
  const asOf = dto.asOf ?? today;
  if (asOf > today) throw paramError('asOf', 'may not be after today: there are no figures for the future yet');
  const cohortFrom = dto.cohortFrom ?? null;
  const cohortTo = dto.cohortTo ?? null;
  if (cohortFrom && cohortTo && cohortFrom > cohortTo) throw paramError('cohortFrom', 'must not be after cohortTo');
  const cohort = dto.cohort ?? null;
  if (cohort && (cohortFrom || cohortTo))
    throw paramError(
      'cohort',
      'cannot be combined with cohortFrom or cohortTo: give one quarter or year, or the dates',
    );

  const groupBy = GROUP_KEYS.filter((k) => dto.groupBy?.includes(k)) as GroupKey[];
  const periodUnit: PeriodUnit = groupBy.includes('period') && dto.periodUnit === 'quarter' ? 'quarter' : 'month';

  const query: AnalyticsQuery = {
    endpoint,
    asOf,
    cohortFrom,
    cohortTo,
    municipalities: dto.municipalities ?? null,
    clientTypes: dto.clientTypes ?? null,
    groupBy,
    periodUnit,
  };
  if (endpoint === 'step-attainment' || endpoint === 'time-to-step') query.step = dto.step;
  if (endpoint === 'step-attainment')
    query.withinDays = dto.withinDays === undefined ? DEFAULT_WITHIN_DAYS : Number(dto.withinDays);
  if (endpoint === 'dropout') query.withinDays = dto.withinDays === undefined ? null : Number(dto.withinDays);
  if (endpoint === 'time-to-step' && dto.days) query.days = [...new Set(dto.days.map(Number))].sort((a, b) => a - b);
  if (endpoint === 'experience') query.item = dto.item;
  if (endpoint === 'response-rate') {
    query.sentFrom = dto.sentFrom ?? null;
    query.sentTo = dto.sentTo ?? null;
    if (query.sentFrom && query.sentTo && query.sentFrom > query.sentTo)
      throw paramError('sentFrom', 'must not be after sentTo');
  }
  const given = new Set(Object.keys(dto).filter((k) => (dto as unknown as Record<string, unknown>)[k] !== undefined));
  return {
    query,
    minCell: dto.minCell === undefined ? null : Number(dto.minCell),
    cohort,
    given,
    compareTo: dto.compareTo ?? null,
  };
}

const pipe = createValidationPipe();

/**
 * A query given as strings (as on the wire), checked by the endpoint's DTO through the same pipe as a
 * request, then converted: what the PDF report uses for the figures it asks for on the caller's behalf.
 */
export async function checkedAnalyticsQuery(
  endpoint: AnalyticsEndpoint,
  params: Record<string, unknown>,
  today: string,
): Promise<ParsedAnalyticsQuery> {
  const dto = (await pipe.transform(params, {
    type: 'query',
    metatype: ANALYTICS_QUERY_DTOS[endpoint],
  })) as AnalyticsQueryInput;
  return toAnalyticsQuery(endpoint, dto, today);
}
