import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/** GET /worklist?scope= */
export class WorklistQueryDto {
  @ApiPropertyOptional({
    enum: ['mine', 'team'],
    description:
      "mine: the caller's own clients (a counselor's default); team: the whole organisation (an organisation admin's default)",
  })
  @IsOptional()
  @IsIn(['mine', 'team'], { message: 'scope must be mine or team' })
  scope?: 'mine' | 'team';
}
