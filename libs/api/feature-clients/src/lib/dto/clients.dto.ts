import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  Validate,
  ValidateIf,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { TextLimit } from '@klantmonitor/api/core';
import {
  BIRTH_YEAR_BANDS,
  TEXT_LIMITS,
  CASELOAD_SORT_FIELDS,
  CLIENT_REF_PATTERN,
  CLOSE_REASONS,
  DROPOUT_REASONS,
  HOUSEHOLD_TYPES,
  INCOME_BANDS,
  looksLikeBsn,
  STEP_CODES,
  SUPPORT_CHANNELS,
  SERVICE_KINDS,
  SUPPORT_TYPES,
  type AssignCounselorRequest,
  type RegistrationRequest,
  type CreateClientRequest,
  type UpdateClientRequest,
  type EndServiceRequest,
  type ServiceKind,
  type StartServiceRequest,
  type CloseReason,
  type DropoutReason,
  type HouseholdType,
  type IncomeBand,
  type MarkStepRequest,
  type RecordDropoutRequest,
  type RecordSupportRequest,
  type StepCode,
  type SupportChannel,
  type SupportType,
  isIsoDate,
  EARLIEST_DATE,
  CRISIS_KINDS,
  type CrisisKind,
} from '@klantmonitor/shared/domain';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/**
 * An optional short note, sealed when stored: the same rules wherever one is given (support,
 * dropout, a withdrawn step). Applied in the order stacked decorators would run: the type check first.
 */
const NoteField = () =>
  applyDecorators(
    IsString({ message: 'note must be text' }),
    TextLimit('note'),
    Transform(trim),
    IsOptional(),
    ApiPropertyOptional({ maxLength: TEXT_LIMITS.note, description: 'A short note (stored sealed)' }),
  );

/** A real calendar date, YYYY-MM-DD, not before EARLIEST_DATE (not after today: the service checks, it knows today). */
@ValidatorConstraint({ name: 'isCalendarDate' })
class IsCalendarDate implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return isIsoDate(value) && value >= EARLIEST_DATE;
  }
  defaultMessage(args?: ValidationArguments): string {
    return `${args?.property ?? 'date'} must be a date from ${EARLIEST_DATE} on, as YYYY-MM-DD`;
  }
}

@ValidatorConstraint({ name: 'notBsn' })
class NotBsn implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && !looksLikeBsn(value);
  }
  defaultMessage(): string {
    return 'clientRef looks like a BSN; use your own client number, never a BSN';
  }
}

// class-validator runs the bottom decorator first: type checks stay last in each list.
export class CreateClientDto implements CreateClientRequest {
  @ApiProperty({ example: 'KL-2025-0042', description: "The organisation's own client number (never a BSN)" })
  @Transform(trim)
  @Validate(NotBsn)
  @Matches(CLIENT_REF_PATTERN, {
    message: 'clientRef must be 1-64 letters, digits or . _ - /, starting with a letter or digit',
  })
  @TextLimit('clientRef')
  @IsString()
  clientRef!: string;

  @ApiProperty({ example: 'GM0344' })
  @Matches(/^GM\d{4}$/, { message: 'municipality must be a CBS code such as GM0344' })
  @IsString()
  municipality!: string;

  @ApiPropertyOptional({
    example: '2025-02-20',
    description: 'The request for help (aanmelddatum); default: firstContact',
  })
  @IsOptional()
  @Validate(IsCalendarDate)
  registeredOn?: string;

  @ApiPropertyOptional({
    enum: CRISIS_KINDS,
    nullable: true,
    description: 'A crisis makes the first meeting due within 3 working days',
  })
  @IsOptional()
  @IsIn(CRISIS_KINDS, { message: `crisis must be null or one of ${CRISIS_KINDS.join(', ')}` })
  crisis?: CrisisKind | null;

  @ApiPropertyOptional({ example: '2025-03-01', description: 'Absent: the client waits for the first meeting' })
  @IsOptional()
  @Validate(IsCalendarDate)
  firstContact?: string;

  @ApiPropertyOptional({ example: 'jan@example.nl' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @TextLimit('email')
  email?: string;

  @ApiPropertyOptional({ example: '0612345678' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.replace(/[\s\-()]/g, '') : value))
  @Matches(/^(\+31|0031|0)[1-9]\d{8}$/, { message: 'phone must be a Dutch phone number such as 0612345678' })
  @TextLimit('phone')
  @IsString()
  phone?: string;

  @ApiPropertyOptional({ enum: HOUSEHOLD_TYPES })
  @IsOptional()
  @IsIn(HOUSEHOLD_TYPES, { message: `householdType must be one of ${HOUSEHOLD_TYPES.join(', ')}` })
  householdType?: HouseholdType;

  @ApiPropertyOptional({ enum: INCOME_BANDS })
  @IsOptional()
  @IsIn(INCOME_BANDS, { message: `incomeBand must be one of ${INCOME_BANDS.join(', ')}` })
  incomeBand?: IncomeBand;

  @ApiPropertyOptional({ example: '1970-1979' })
  @IsOptional()
  @IsIn(BIRTH_YEAR_BANDS, { message: 'birthYearBand must be a decade such as 1970-1979' })
  birthYearBand?: string;
}

export class CaseloadQueryDto {
  @ApiPropertyOptional({ example: 'GM0344' })
  @IsOptional()
  @Matches(/^GM\d{4}$/, { message: 'municipality must be a CBS code such as GM0344' })
  municipality?: string;

  @ApiPropertyOptional({ enum: STEP_CODES, description: 'Clients whose furthest step is this one' })
  @IsOptional()
  @IsIn(STEP_CODES, { message: `step must be one of ${STEP_CODES.join(', ')}` })
  step?: StepCode;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'stalled must be true or false' })
  stalled?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ['open', 'closed', 'dropped_out'] })
  @IsOptional()
  @IsIn(['open', 'closed', 'dropped_out'], { message: 'status must be open, closed or dropped_out' })
  status?: 'open' | 'closed' | 'dropped_out';

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only the clients assigned to me' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'mine must be true or false' })
  mine?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'Part of a client reference' })
  @IsOptional()
  @TextLimit('search')
  @IsString()
  q?: string;

  @ApiPropertyOptional({
    example: 'zelfstandige',
    description: "The latest assessment's client type code; unknown = not assessed",
  })
  @IsOptional()
  @Matches(/^[a-z0-9_]{1,64}$/, { message: 'clientType must be a client type code such as zelfstandige' })
  @IsString()
  clientType?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only clients with an open signal' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'alerts must be true or false' })
  alerts?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only open requests waiting for their first meeting' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'waiting must be true or false' })
  waiting?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only waiting requests past their legal term' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'overdue must be true or false' })
  overdue?: 'true' | 'false';

  @ApiPropertyOptional({
    example: 'lastActivityOn:desc',
    description: `<field>:<asc|desc>, field one of ${CASELOAD_SORT_FIELDS.join(', ')}`,
  })
  @IsOptional()
  @Matches(new RegExp(`^(${CASELOAD_SORT_FIELDS.join('|')}):(asc|desc)$`), {
    message: `sort must be <field>:<asc|desc> with field one of ${CASELOAD_SORT_FIELDS.join(', ')}`,
  })
  @IsString()
  sort?: string;

  @ApiPropertyOptional({
    enum: ['json', 'csv', 'xlsx'],
    description: 'csv / xlsx: every row of this view as a file (page and pageSize ignored)',
  })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'], { message: 'format must be json, csv or xlsx' })
  format?: 'json' | 'csv' | 'xlsx';

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @Max(100000)
  @Min(1)
  @IsInt({ message: 'page must be a whole number' })
  page?: number;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @Max(200)
  @Min(1)
  @IsInt({ message: 'pageSize must be a whole number' })
  pageSize?: number;

  @ApiPropertyOptional({
    description:
      'The next page: nextCursor of the previous answer (keyset paging; the same filters and sort). Not with page or before',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,640}$/, { message: 'after must be a cursor from nextCursor or prevCursor' })
  @IsString()
  after?: string;

  @ApiPropertyOptional({ description: 'The page before: prevCursor of an answer. Not with page or after' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,640}$/, { message: 'before must be a cursor from nextCursor or prevCursor' })
  @IsString()
  before?: string;
}

export class MarkStepDto implements MarkStepRequest {
  @ApiProperty({
    enum: STEP_CODES,
    description: 'first_contact: the first meeting of a waiting request, or a corrected date of it',
  })
  @IsIn(STEP_CODES, { message: `step must be one of ${STEP_CODES.join(', ')}` })
  step!: StepCode;

  @ApiProperty({ example: '2025-04-01' })
  @Validate(IsCalendarDate)
  date!: string;
}

export class RecordDropoutDto implements RecordDropoutRequest {
  @ApiProperty({ example: '2025-04-01' })
  @Validate(IsCalendarDate)
  date!: string;

  @ApiProperty({ enum: DROPOUT_REASONS })
  @IsIn(DROPOUT_REASONS, { message: `reason must be one of ${DROPOUT_REASONS.join(', ')}` })
  reason!: DropoutReason;

  @NoteField()
  note?: string;
}

/** POST /trajectories/:id/close */
export class CloseTrajectoryDto {
  @ApiProperty({ example: '2025-09-01' })
  @Validate(IsCalendarDate)
  date!: string;

  @ApiProperty({ enum: CLOSE_REASONS })
  @IsIn(CLOSE_REASONS, { message: `reason must be one of ${CLOSE_REASONS.join(', ')}` })
  reason!: CloseReason;
}

export class RecordSupportDto implements RecordSupportRequest {
  @ApiProperty({ example: '2025-04-01' })
  @Validate(IsCalendarDate)
  date!: string;

  @ApiProperty({ enum: SUPPORT_TYPES })
  @IsIn(SUPPORT_TYPES, { message: `type must be one of ${SUPPORT_TYPES.join(', ')}` })
  type!: SupportType;

  @ApiProperty({ minimum: 1, maximum: 1440, description: 'Minutes of support (at most 24 hours)' })
  @Max(1440, { message: 'minutes must be at most 1440 (24 hours)' })
  @Min(1, { message: 'minutes must be at least 1' })
  @IsInt({ message: 'minutes must be a whole number' })
  minutes!: number;

  @ApiProperty({ enum: SUPPORT_CHANNELS })
  @IsIn(SUPPORT_CHANNELS, { message: `channel must be one of ${SUPPORT_CHANNELS.join(', ')}` })
  channel!: SupportChannel;

  @NoteField()
  note?: string;
}

export class StartServiceDto implements StartServiceRequest {
  @ApiProperty({ enum: SERVICE_KINDS })
  @IsIn(SERVICE_KINDS, { message: `kind must be one of ${SERVICE_KINDS.join(', ')}` })
  kind!: ServiceKind;

  @ApiProperty({ example: '2025-04-01' })
  @Validate(IsCalendarDate)
  startedOn!: string;

  @ApiPropertyOptional({ example: '2025-10-01' })
  @IsOptional()
  @Validate(IsCalendarDate)
  endedOn?: string;
}

export class EndServiceDto implements EndServiceRequest {
  @ApiProperty({ example: '2025-10-01' })
  @Validate(IsCalendarDate)
  endedOn!: string;
}

/** DELETE /trajectories/:id/steps/:step (optional body): why the step is withdrawn. */
export class WithdrawStepDto {
  @NoteField()
  note?: string;
}

/** PATCH /clients/:id: contact and intake fields; null clears one. Audited (without the values). */
export class UpdateClientDto implements UpdateClientRequest {
  @ApiPropertyOptional({ example: 'jan@example.nl', nullable: true, type: String })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @TextLimit('email')
  email?: string | null;

  @ApiPropertyOptional({ example: '0612345678', nullable: true, type: String })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.replace(/[\s\-()]/g, '') : value))
  @Matches(/^(\+31|0031|0)[1-9]\d{8}$/, { message: 'phone must be a Dutch phone number such as 0612345678' })
  @TextLimit('phone')
  @IsString()
  phone?: string | null;

  @ApiPropertyOptional({ enum: HOUSEHOLD_TYPES, nullable: true })
  @IsOptional()
  @IsIn(HOUSEHOLD_TYPES, { message: `householdType must be one of ${HOUSEHOLD_TYPES.join(', ')}` })
  householdType?: HouseholdType | null;

  @ApiPropertyOptional({ enum: INCOME_BANDS, nullable: true })
  @IsOptional()
  @IsIn(INCOME_BANDS, { message: `incomeBand must be one of ${INCOME_BANDS.join(', ')}` })
  incomeBand?: IncomeBand | null;

  @ApiPropertyOptional({ example: '1970-1979', nullable: true, type: String })
  @IsOptional()
  @IsIn(BIRTH_YEAR_BANDS, { message: 'birthYearBand must be a decade such as 1970-1979' })
  birthYearBand?: string | null;
}

/** PUT /trajectories/:id/registration: both fields, as they should stand (crisis null for none). */
export class RegistrationDto implements RegistrationRequest {
  @ApiProperty({ example: '2025-02-20', description: 'The request for help (aanmelddatum)' })
  @Validate(IsCalendarDate)
  registeredOn!: string;

  @ApiProperty({
    enum: CRISIS_KINDS,
    nullable: true,
    description: 'null: no crisis (28 days); a crisis: 3 working days',
  })
  @ValidateIf((o: RegistrationDto) => o.crisis !== null)
  @IsIn(CRISIS_KINDS, { message: `crisis must be null or one of ${CRISIS_KINDS.join(', ')}` })
  crisis!: CrisisKind | null;
}

/** PUT /trajectories/:id/counselor */
export class AssignCounselorDto implements AssignCounselorRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'userId must be the id of a counselor' })
  userId!: string;
}
