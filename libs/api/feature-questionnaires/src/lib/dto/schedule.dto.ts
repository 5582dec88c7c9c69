import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsNumber, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
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

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 500,
    description:
      "How the spaartegoed is paid, in the organisation's words, shown to clients; absent: unchanged, null: removed",
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @MaxLength(500, { message: 'spaartegoedPayout must be at most 500 characters' })
  @IsString({ message: 'spaartegoedPayout must be text' })
  spaartegoedPayout?: string | null;

  @ApiPropertyOptional({ description: 'A template version; null or absent: the newest Klantbeleving' })
  @IsOptional()
  @IsUUID()
  templateId?: string | null;
}
