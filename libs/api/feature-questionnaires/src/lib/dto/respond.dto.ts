import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsObject, IsOptional, IsString } from 'class-validator';
import { UnknownFieldMessage } from '@klantmonitor/api/core';

/**
 * POST /respond/:token. The DTO checks the form; which items there are, which are required, their
 * scales and the comment's length belong to the link's template version and are checked against it
 * by `validateAnswers` (shared/questionnaires), each problem named `answers.<item>`.
 */
@UnknownFieldMessage('is not a field of an answer')
export class RespondDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', nullable: true },
    example: { onrust_financien: 2, geloof_in_oplossing: 4, geluisterd: 5, goed_geholpen: 4 },
    description: 'Item code to a whole number on its scale (null or absent: not answered, where allowed)',
  })
  @IsObject({ message: 'must be an object of item code to answer' })
  @IsDefined({ message: 'is required' })
  answers!: Record<string, number | null>;

  @ApiPropertyOptional({ type: 'string', nullable: true, description: "Free text, at most the template's length" })
  @IsOptional()
  @IsString({ message: 'must be text' })
  comment?: string | null;
}

/** GET /respond/:token?lang= */
export class RespondViewQueryDto {
  @ApiPropertyOptional({ enum: ['nl', 'en'], default: 'nl', description: 'Language of the texts' })
  @IsOptional()
  @IsIn(['nl', 'en'], { message: 'must be nl or en' })
  lang?: 'nl' | 'en';
}
