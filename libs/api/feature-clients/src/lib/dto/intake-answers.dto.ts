import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, Matches } from 'class-validator';

/**
 * POST /clients/:id/intake-answers: the default intake instrument through the form. Every answer is
 * optional (a statement left out is absent or null); at least one must be given.
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
    example: { privacy_veilig: 4, zelf_regelen: 2, digi_apparaten: null },
    description:
      'Item code of the default intake instrument -> 1 (helemaal oneens) .. 5 (helemaal eens), or null',
  })
  @IsObject({ message: 'answers must be an object of item codes and answers' })
  answers!: Record<string, unknown>;
}
