import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import {
  GROUP_KEYS,
  MIN_CELL_FLOOR,
  MIN_CELL_MAX,
  PERIOD_UNITS,
  STEP_CODES,
  TIME_BY,
  type TimeBy,
  isIsoDate,
  type GroupKey,
  type PeriodUnit,
  type StepCode,
} from '@klantmonitor/shared/domain';

/**
 * The query parameters of the analytics endpoints (docs/api.md "Analytics"), one class per endpoint.
 * Every parameter is a string on the wire: the DTOs check its form (a repeated parameter, a malformed
 * date or number, an unknown step is a 400 naming it), `toAnalyticsQuery` turns the checked strings
 * into an `AnalyticsQuery` with its defaults and checks what needs two parameters or today's date.
 * Whether municipalities, client types and items exist is checked against the data by the service.
 */

export const MAX_DAYS = 3650;
const MAX_LIST = 400;
const CBS_CODE = /^GM\d{4}$/;
const TYPE_CODE = /^[a-z0-9_-]{1,64}$/;
const ITEM_CODE = /^[a-z0-9_]{1,64}$/;
const STEPS = STEP_CODES.join(', ');

/** An empty parameter (`?cohortFrom=`) is the same as an absent one: the default. */
const emptyIsAbsent = Transform(({ value }) => (value === '' ? undefined : value));

/** `a,b,a` -> ['a', 'b'] (trimmed, once each, sorted: one canonical order for the answer's cache). */
const commaList = Transform(({ value }) => {
  if (value === '' || value === undefined) return undefined;
  if (typeof value !== 'string') return { repeated: true }; // refused by IsArray: given more than once
  return [...new Set(value.split(',').map((s) => s.trim()))].sort();
});

/** Exactly once: Fastify gives an array for `?x=1&x=2`, which is refused rather than guessed at. */
const once = (name: string) => IsString({ message: `${name} must be given once` });

function IsIsoDateString(name: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoDateString',
      validator: { validate: (v) => typeof v === 'string' && isIsoDate(v) },
    },
    { message: `${name} must be a date as YYYY-MM-DD`, ...options },
  );
}

const wholeNumber = (name: string, min: number, max: number) =>
  ValidateBy(
    {
      name: 'wholeNumberString',
      validator: { validate: (v) => typeof v === 'string' && /^\d{1,7}$/.test(v) && +v >= min && +v <= max },
    },
    { message: `${name} must be a whole number from ${min} to ${max}` },
  );

const listOf = (name: string, pattern: RegExp, what: string): PropertyDecorator[] => [
  Matches(pattern, { each: true, message: `${name} has a value which is not ${what}` }),
  ArrayMaxSize(MAX_LIST, { message: `${name} may list at most ${MAX_LIST} values` }),
  IsArray({ message: `${name} must be given once, as a comma-separated list` }),
];

const apply =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) => {
    // Applied bottom-up like stacked decorators: the last one given runs first in class-validator.
    for (const d of decorators.reverse()) d(target, key);
  };

const date = (name: string, description: string): PropertyDecorator =>
  apply(
    ApiPropertyOptional({ type: 'string', format: 'date', description }),
    emptyIsAbsent,
    IsOptional(),
    IsIsoDateString(name),
    once(name),
  );

/** `cohort`: a quarter (2025-Q3) or a year (2025); which ones have ended is checked with asOf. */
const COHORT = /^(\d{4}(-Q[1-4])?|rolling)$/;
export const COHORT_FORMS =
  "a quarter such as 2025-Q3, a year such as 2025, or rolling (the last four complete quarters, the default for other organisations' municipalities)";

const cohortWindow = (): PropertyDecorator =>
  apply(
    ApiPropertyOptional({
      type: 'string',
      example: '2025-Q3',
      description:
        "The cohort as one quarter (2025-Q3), one calendar year (2025) or `rolling` (the last four complete quarters: the default where figures are protected). Required form for figures about other organisations' municipalities (docs/metrics.md 'Protected figures'); not together with cohortFrom/cohortTo",
    }),
    emptyIsAbsent,
    IsOptional(),
    Matches(COHORT, { message: `cohort must be ${COHORT_FORMS}` }),
    once('cohort'),
  );

/** Parameters every analytics endpoint takes. */
export class AnalyticsCommonQueryDto {
  @cohortWindow()
  cohort?: string;

  @date('cohortFrom', 'First day of the intake cohort (trajectories that started on or after it)')
  cohortFrom?: string;

  @date('cohortTo', 'Last day of the intake cohort')
  cohortTo?: string;

  @date('asOf', 'The day the figures are for (default today, never after today)')
  asOf?: string;

  @ApiPropertyOptional({
    type: 'string',
    example: 'GM0344,GM0363',
    description: `Comma-separated CBS codes (at most ${MAX_LIST}); default every municipality that takes part`,
  })
  @apply(commaList, IsOptional(), ...listOf('municipalities', CBS_CODE, 'a CBS code such as GM0344'))
  municipalities?: string[];

  @ApiPropertyOptional({ type: 'string', example: 'zelfstandige', description: 'Comma-separated client type codes' })
  @apply(commaList, IsOptional(), ...listOf('clientTypes', TYPE_CODE, 'a client type code'))
  clientTypes?: string[];

  @ApiPropertyOptional({
    type: 'string',
    example: 'municipality,period',
    description: `Comma-separated, any of ${GROUP_KEYS.join(', ')}`,
  })
  @apply(
    commaList,
    IsOptional(),
    IsIn(GROUP_KEYS, { each: true, message: `groupBy has a value which is not one of ${GROUP_KEYS.join(', ')}` }),
    IsArray({ message: 'groupBy must be given once, as a comma-separated list' }),
  )
  groupBy?: GroupKey[];

  @ApiPropertyOptional({ enum: PERIOD_UNITS, description: 'With groupBy=period: month (default) or quarter' })
  @IsOptional()
  @IsIn(PERIOD_UNITS, { message: 'periodUnit must be month or quarter' })
  @once('periodUnit')
  periodUnit?: PeriodUnit;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: MIN_CELL_FLOOR,
    maximum: MIN_CELL_MAX,
    description: "Rows with fewer clients are suppressed; default the organisation's setting",
  })
  @IsOptional()
  @wholeNumber('minCell', MIN_CELL_FLOOR, MIN_CELL_MAX)
  @once('minCell')
  minCell?: string;

  @ApiPropertyOptional({
    type: 'string',
    format: 'uuid',
    description:
      "A comparison group's id (GET /comparison-groups): the answer gets a `reference` block with the group's total beside the national one",
  })
  @IsOptional()
  @IsUUID('all', { message: 'compareTo must be the id of a comparison group (a UUID)' })
  @once('compareTo')
  compareTo?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'], description: 'csv or xlsx: the same answer as a file' })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'], { message: 'format must be one of json, csv, xlsx' })
  @once('format')
  format?: 'json' | 'csv' | 'xlsx';
}

const requiredStep = (): PropertyDecorator =>
  apply(
    ApiProperty({ enum: STEP_CODES }),
    IsDefined({ message: `step is required: one of ${STEPS}` }),
    IsIn(STEP_CODES, { message: `step must be one of ${STEPS}` }),
    once('step'),
  );

const withinDays = (description: string): PropertyDecorator =>
  apply(
    ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_DAYS, description }),
    IsOptional(),
    wholeNumber('withinDays', 0, MAX_DAYS),
    once('withinDays'),
  );

export class StepAttainmentQueryDto extends AnalyticsCommonQueryDto {
  @requiredStep()
  step!: StepCode;

  @withinDays('Days after the start of the trajectory (default 60)')
  withinDays?: string;
}

export class DropoutQueryDto extends AnalyticsCommonQueryDto {
  @withinDays('Only dropout within this many days of the start (default: any time)')
  withinDays?: string;
}

/** GET /analytics/waiting-time: the common filters; the cohort is by the date of the request (#26). */
export class WaitingTimeQueryDto extends AnalyticsCommonQueryDto {}

export class TimeToStepQueryDto extends AnalyticsCommonQueryDto {
  @requiredStep()
  step!: StepCode;

  @ApiPropertyOptional({
    type: 'string',
    example: '30,60,90',
    description: `Comma-separated days (0..${MAX_DAYS}) at which to give the curve; default every day`,
  })
  @apply(
    commaList,
    IsOptional(),
    ...listOf('days', /^(\d{1,3}|[0-2]\d{3}|3[0-5]\d\d|36[0-4]\d|3650)$/, `a whole number from 0 to ${MAX_DAYS}`),
  )
  days?: string[];
}

export class ExperienceQueryDto extends AnalyticsCommonQueryDto {
  @ApiProperty({ example: 'geloof_in_oplossing', description: 'A questionnaire item code' })
  @IsDefined({ message: 'item is required: a questionnaire item code such as geloof_in_oplossing' })
  @Matches(ITEM_CODE, { message: 'item must be a questionnaire item code such as geloof_in_oplossing' })
  @once('item')
  item!: string;
}

export class SupportQueryDto extends AnalyticsCommonQueryDto {}

export class ResponseRateQueryDto extends AnalyticsCommonQueryDto {
  @date('sentFrom', 'Only questionnaires sent on or after this day')
  sentFrom?: string;

  @date('sentTo', 'Only questionnaires sent on or before this day')
  sentTo?: string;
}

/** GET /analytics/report: the benchmark page's filters (no groupBy: the report groups by municipality). */
export class ReportQueryDto {
  @cohortWindow()
  cohort?: string;

  @date('cohortFrom', 'First day of the intake cohort')
  cohortFrom?: string;

  @date('cohortTo', 'Last day of the intake cohort')
  cohortTo?: string;

  @date('asOf', 'The day the figures are for (default today)')
  asOf?: string;

  @ApiPropertyOptional({ type: 'string', example: 'GM0344,GM0363', description: 'Comma-separated CBS codes' })
  @apply(commaList, IsOptional(), ...listOf('municipalities', CBS_CODE, 'a CBS code such as GM0344'))
  municipalities?: string[];

  @ApiPropertyOptional({ type: 'string', description: 'Comma-separated client type codes' })
  @apply(commaList, IsOptional(), ...listOf('clientTypes', TYPE_CODE, 'a client type code'))
  clientTypes?: string[];

  @ApiPropertyOptional({ enum: STEP_CODES, description: 'The step of the attainment chart (default as the page)' })
  @IsOptional()
  @IsIn(STEP_CODES, { message: `step must be one of ${STEPS}` })
  @once('step')
  step?: StepCode;

  @withinDays('Days after the start (default as the page)')
  withinDays?: string;

  @ApiPropertyOptional({ enum: PERIOD_UNITS })
  @IsOptional()
  @IsIn(PERIOD_UNITS, { message: 'periodUnit must be month or quarter' })
  @once('periodUnit')
  periodUnit?: PeriodUnit;

  @ApiPropertyOptional({
    type: 'string',
    format: 'uuid',
    description: 'A comparison group beside the national figures',
  })
  @IsOptional()
  @IsUUID('all', { message: 'compareTo must be the id of a comparison group (a UUID)' })
  @once('compareTo')
  compareTo?: string;

  @ApiPropertyOptional({ enum: TIME_BY, description: 'The time chart per client type (default) or municipality' })
  @IsOptional()
  @IsIn(TIME_BY, { message: `timeBy must be one of ${TIME_BY.join(', ')}` })
  @once('timeBy')
  timeBy?: TimeBy;

  @ApiPropertyOptional({ type: 'integer', minimum: MIN_CELL_FLOOR, maximum: MIN_CELL_MAX })
  @IsOptional()
  @wholeNumber('minCell', MIN_CELL_FLOOR, MIN_CELL_MAX)
  @once('minCell')
  minCell?: string;

  @ApiPropertyOptional({
    enum: ['pdf', 'xlsx'],
    description:
      'pdf (the default): the A4 report; xlsx: the same figures as a workbook for people, one sheet per chart',
  })
  @IsOptional()
  @IsIn(['pdf', 'xlsx'], { message: 'format must be one of pdf, xlsx' })
  @once('format')
  format?: 'pdf' | 'xlsx';
}
