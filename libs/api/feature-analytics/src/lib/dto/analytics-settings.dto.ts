import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { MIN_CELL_FLOOR, MIN_CELL_MAX } from '@klantmonitor/shared/domain';

const RANGE = `minCell must be between ${MIN_CELL_FLOOR} and ${MIN_CELL_MAX}`;

/** PUT /analytics/settings: exactly `{minCell}`, a whole number 5..1000 (unknown fields are refused). */
export class AnalyticsSettingsDto {
  @ApiProperty({ minimum: MIN_CELL_FLOOR, maximum: MIN_CELL_MAX, example: 10 })
  // class-validator runs the bottom decorator first: the type check comes first.
  @Max(MIN_CELL_MAX, { message: RANGE })
  @Min(MIN_CELL_FLOOR, { message: RANGE })
  @IsInt({ message: 'minCell must be a whole number' })
  minCell!: number;
}
