import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsNumber, IsOptional, IsString, IsUUID } from 'class-validator';
import type { UpdateQuestionnaireScheduleRequest } from '@klantmonitor/shared/domain';

/** Types here; ranges in validateSchedule (one place, shared with the rules). */
export class UpdateScheduleDto implements UpdateQuestionnaireScheduleRequest {
  @ApiProperty({ example: 6, description: 'Weeks between periodic waves (1-52)' })
  @IsNumber()
  intervalWeeks!: number;

  @ApiProperty({ example: 3, description: 'Days after a step change (0-30)' })
  @IsNumber()
  delayAfterStepDays!: number;

  @ApiProperty({ example: 4, description: 'Days after sending before the one reminder (1-89, below expiryDays)' })
  @IsNumber()
  reminderAfterDays!: number;

  @ApiProperty({ example: 14, description: 'Days a link works (1-90)' })
  @IsNumber()
  expiryDays!: number;

  @ApiProperty({ example: 2.5, description: 'Spaartegoed in euros per completed questionnaire (0-100, cents at most)' })
  @IsNumber()
  creditPerResponse!: number;

  @ApiProperty({ example: ['email', 'sms'], description: 'Channels in order of preference' })
  @IsArray()
  @ArrayMaxSize(5)
  @IsString({ each: true })
  channels!: ('email' | 'sms')[];

  @ApiPropertyOptional({ description: 'A template version; null or absent: the newest Klantbeleving' })
  @IsOptional()
  @IsUUID()
  templateId?: string | null;
}
