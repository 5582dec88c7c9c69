import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsInt,
  IsObject,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import type { NewTemplate } from '@klantmonitor/shared/questionnaires';

/**
 * POST /questionnaire-templates: a new template version. Each problem is named by its path
 * (`items[1].scale`), with the messages the platform admin's screen translates by field.
 */

const CODE = /^[a-z0-9_]{1,64}$/;
const CODE_MESSAGE = 'must be 1-64 lowercase letters, digits or _';
const SCALE = 'must have whole numbers min and max, 0 <= min < max <= 10';

const isText = (v: unknown, max: number): boolean => {
  const t = v as { nl?: unknown; en?: unknown } | null;
  return (
    typeof t === 'object' &&
    t !== null &&
    !Array.isArray(t) &&
    Object.keys(t).every((k) => k === 'nl' || k === 'en') &&
    [t.nl, t.en].every((s) => typeof s === 'string' && s.trim().length > 0 && s.length <= max)
  );
};

/** `{nl, en}`, both non-empty and at most `max` characters. */
const BilingualText = (max: number) =>
  ValidateBy(
    { name: 'bilingualText', validator: { validate: (v) => isText(v, max) } },
    { message: `must have nl and en texts of 1-${max} characters` },
  );

/** For the OpenAPI document; the check is BilingualText (the whole object is one field). */
class BilingualTextDto {
  @ApiProperty() nl!: string;
  @ApiProperty() en!: string;
}
const TEXT_SCHEMA = { type: BilingualTextDto };

class ScaleDto {
  @ApiProperty({ minimum: 0, maximum: 9 })
  @Max(9, { message: SCALE })
  @Min(0, { message: SCALE })
  @IsInt({ message: SCALE })
  min!: number;

  @ApiProperty({ minimum: 1, maximum: 10 })
  @ValidateBy(
    {
      name: 'aboveMin',
      validator: { validate: (v, args) => typeof v === 'number' && v > (args?.object as ScaleDto).min },
    },
    { message: SCALE },
  )
  @Max(10, { message: SCALE })
  @IsInt({ message: SCALE })
  max!: number;

  @ApiProperty({ ...TEXT_SCHEMA, description: 'What the lowest answer means (nl, en; at most 60 characters)' })
  @BilingualText(60)
  low!: { nl: string; en: string };

  @ApiProperty({ ...TEXT_SCHEMA, description: 'What the highest answer means' })
  @BilingualText(60)
  high!: { nl: string; en: string };
}

class TemplateItemDto {
  @ApiProperty({ example: 'geluisterd' })
  @Matches(CODE, { message: CODE_MESSAGE })
  code!: string;

  @ApiProperty({ ...TEXT_SCHEMA, description: 'The question (nl, en; at most 300 characters)' })
  @BilingualText(300)
  text!: { nl: string; en: string };

  @ApiProperty()
  @IsBoolean({ message: 'must be true or false' })
  required!: boolean;

  @ApiProperty({ type: ScaleDto })
  @ValidateNested()
  @Type(() => ScaleDto)
  @IsObject({ message: SCALE })
  @IsDefined({ message: SCALE })
  scale!: ScaleDto;
}

export class CreateQuestionnaireTemplateDto implements Omit<NewTemplate, 'items' | 'commentMaxLength'> {
  @ApiProperty({ example: 'klantbeleving' })
  @Matches(CODE, { message: CODE_MESSAGE })
  code!: string;

  @ApiProperty({ ...TEXT_SCHEMA, description: 'The title (nl, en; at most 200 characters)' })
  @BilingualText(200)
  title!: { nl: string; en: string };

  @ApiProperty({ type: [TemplateItemDto], minItems: 1, maxItems: 30 })
  @ValidateNested({ each: true })
  @Type(() => TemplateItemDto)
  @ArrayUnique((i: TemplateItemDto) => i?.code, { message: 'must not repeat an item code' })
  @ArrayMaxSize(30, { message: 'must be a list of 1 to 30 items' })
  @ArrayMinSize(1, { message: 'must be a list of 1 to 30 items' })
  @IsArray({ message: 'must be a list of 1 to 30 items' })
  items!: TemplateItemDto[];

  @ApiPropertyOptional({ minimum: 0, maximum: 5000, default: 1000, description: 'Longest comment; 0: no comment' })
  @IsOptional()
  @Max(5000, { message: 'must be a whole number from 0 to 5000' })
  @Min(0, { message: 'must be a whole number from 0 to 5000' })
  @IsInt({ message: 'must be a whole number from 0 to 5000' })
  commentMaxLength?: number;
}
