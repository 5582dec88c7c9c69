import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { DEFAULT_INTAKE_ITEM_CODES } from '@klantmonitor/shared/domain';

/** The largest number of segments a run may try (api-v1.md). */
export const K_MAX = 12;

/** POST /segmentation/runs (api-v1.md "Segmentation"); everything optional, defaults as there. */
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

  @ApiPropertyOptional({ default: 10, minimum: 1, maximum: 100 })
  @IsOptional()
  @Max(100, { message: 'restarts must be at most 100' })
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
    description:
      'Item codes of the default intake instrument; all of them when left out',
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
