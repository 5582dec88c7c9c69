import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { Type } from 'class-transformer';
import { DEFAULT_INTAKE_ITEM_CODES, STEP_CODES, type StepCode } from '@klantmonitor/shared/domain';

/** The largest number of segments a run may try (docs/api.md). */
export const K_MAX = 12;

/**
 * Restarts per k at most (#22): the one worker is shared by every organisation; the default 10 already
 * found the best within-SS of every k in the segmentation bench (docs/segmentation.md).
 */
export const MAX_RESTARTS = 50;

/** POST /segmentation/runs (docs/api.md "Segmentation"); everything optional, defaults as there. */
export class CreateRunDto {
  @ApiPropertyOptional({ default: 2, minimum: 2, maximum: K_MAX })
  @IsOptional()
  @Max(K_MAX, { message: `kMin must be at most ${K_MAX}` })
  @Min(2, { message: 'kMin must be at least 2' })
  @IsInt({ message: 'kMin must be a whole number' })
  kMin?: number;

  @ApiPropertyOptional({ default: K_MAX, minimum: 2, maximum: K_MAX })
  @IsOptional()
  @Max(K_MAX, { message: `kMax must be at most ${K_MAX}` })
  @Min(2, { message: 'kMax must be at least 2' })
  @IsInt({ message: 'kMax must be a whole number' })
  kMax?: number;

  @ApiPropertyOptional({ default: 10, minimum: 1, maximum: MAX_RESTARTS })
  @IsOptional()
  @Max(MAX_RESTARTS, { message: `restarts must be at most ${MAX_RESTARTS}` })
  @Min(1, { message: 'restarts must be at least 1' })
  @IsInt({ message: 'restarts must be a whole number' })
  restarts?: number;

  @ApiPropertyOptional({ default: 42 })
  @IsOptional()
  @Max(2 ** 31 - 1, { message: 'seed must be at most 2147483647' })
  @Min(0, { message: 'seed must be 0 or more' })
  @IsInt({ message: 'seed must be a whole number' })
  seed?: number;

  @ApiPropertyOptional({
    description: 'Item codes of the default intake instrument; all of them when left out',
    isArray: true,
    type: String,
  })
  @IsOptional()
  @IsIn(DEFAULT_INTAKE_ITEM_CODES as string[], {
    each: true,
    message: 'items must hold only item codes of the intake instrument',
  })
  @ArrayUnique({ message: 'items must not name an item twice' })
  @ArrayMinSize(2, { message: 'items must name at least 2 items' })
  @IsArray({ message: 'items must be a list of item codes' })
  items?: string[];

  @ApiPropertyOptional({ example: '2025-01-01' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, {
    message: 'answeredFrom must be a date like 2025-01-31',
  })
  answeredFrom?: string;

  @ApiPropertyOptional({ example: '2025-12-31' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, {
    message: 'answeredTo must be a date like 2025-12-31',
  })
  answeredTo?: string;
}

/** POST /segmentation/runs/:id/scenarios/:k/activate: a name per segment (0..k-1), descriptions optional. */
export class ActivateDto {
  @ApiProperty({
    example: ['Zelfstandige', 'Afhankelijke', 'Kwetsbare'],
    description: 'A name per segment, in segment order',
  })
  @MaxLength(60, {
    each: true,
    message: 'names must each be at most 60 characters',
  })
  @MinLength(1, { each: true, message: 'names must not be empty' })
  @IsString({ each: true, message: 'names must be texts' })
  @ArrayUnique({ message: 'names must differ from each other' })
  @ArrayMaxSize(K_MAX)
  @ArrayMinSize(2, { message: 'names must name every segment' })
  @IsArray({ message: 'names must be a list with a name per segment' })
  names!: string[];

  @ApiPropertyOptional({
    description: 'A short description per segment, in the same order',
  })
  @IsOptional()
  @MaxLength(500, {
    each: true,
    message: 'descriptions must each be at most 500 characters',
  })
  @IsString({ each: true, message: 'descriptions must be texts' })
  @IsArray({ message: 'descriptions must be a list' })
  descriptions?: string[];
}

/** GET /client-types/transitions?from=&to= */
export class TransitionsQueryDto {
  @Matches(/^\d{4}-\d{2}-\d{2}$/, {
    message: 'from must be a date like 2024-06-30',
  })
  from!: string;

  @Matches(/^\d{4}-\d{2}-\d{2}$/, {
    message: 'to must be a date like 2025-06-30',
  })
  to!: string;
}

/** GET /segmentation/runs/:id/scenarios/:k/outcomes?step=&withinDays=&asOf= */
export class OutcomesQueryDto {
  @IsIn(STEP_CODES as unknown as string[], {
    message: `step must be one of ${STEP_CODES.join(', ')}`,
  })
  step!: StepCode;

  @IsOptional()
  @Max(3650, { message: 'withinDays must be at most 3650' })
  @Min(0, { message: 'withinDays must be 0 or more' })
  @IsInt({ message: 'withinDays must be a whole number' })
  @Type(() => Number)
  withinDays?: number;

  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, {
    message: 'asOf must be a date like 2025-06-30',
  })
  asOf?: string;
}
