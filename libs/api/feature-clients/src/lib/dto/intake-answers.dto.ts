import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { DEFAULT_INTAKE_ITEM_CODES } from '@klantmonitor/shared/domain';

/**
 * The answers of the default intake instrument: one optional property per item code, a whole number
 * 1..5 or null (skipped). Unknown codes are refused by the whitelist (`answers.<code> should not
 * exist`); the decorators are applied per code below, so the list is the instrument's, not a copy.
 */
export class IntakeAnswersDto {
  [code: string]: number | null | undefined;
}
for (const code of DEFAULT_INTAKE_ITEM_CODES) {
  const decorate = [
    ApiPropertyOptional({
      type: Number,
      minimum: 1,
      maximum: 5,
      nullable: true,
    }),
    IsOptional(),
    Max(5, { message: `${code} must be a whole number from 1 to 5, or null` }),
    Min(1, { message: `${code} must be a whole number from 1 to 5, or null` }),
    IsInt({ message: `${code} must be a whole number from 1 to 5, or null` }),
  ];
  for (const d of decorate) d(IntakeAnswersDto.prototype, code);
}

/**
 * POST /clients/:id/intake-answers: the default instrument through the form. Every answer is
 * optional (a statement left out is absent or null); at least one must be given (the service).
 */
export class SaveIntakeAnswersDto {
  @ApiPropertyOptional({
    example: '2026-11-30',
    description: 'The day of the answers; today (Amsterdam) when left out',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, {
    message: 'answeredOn must be a date like 2026-11-30',
  })
  answeredOn?: string;

  @ApiProperty({
    type: IntakeAnswersDto,
    example: { privacy_veilig: 4, zelf_regelen: 2, digi_apparaten: null },
    description: 'Item code of the default intake instrument -> 1 (helemaal oneens / niet belangrijk) .. 5, or null',
  })
  @ValidateNested()
  @Type(() => IntakeAnswersDto)
  @IsObject({ message: 'answers must be an object of item codes and answers' })
  answers!: IntakeAnswersDto;
}
