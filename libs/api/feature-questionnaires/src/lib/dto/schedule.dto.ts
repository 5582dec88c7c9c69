import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsNumber, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { TextLimit } from '@klantmonitor/api/core';
import { TEXT_LIMITS, type UpdateQuestionnaireScheduleRequest } from '@klantmonitor/shared/domain';

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
    maxLength: TEXT_LIMITS.payoutText,
    description:
      "How the spaartegoed is paid, in the organisation's words, shown to clients; absent: unchanged, null: removed",
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @TextLimit('payoutText', 'spaartegoedPayout')
  @IsString({ message: 'spaartegoedPayout must be text' })
  spaartegoedPayout?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: TEXT_LIMITS.contactPhone,
    example: '030 123 45 67',
    description: 'The phone number clients call, shown on their own page; absent: unchanged, null: removed',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @TextLimit('contactPhone')
  @Matches(/^\+?[0-9][0-9 ()-]*$/, { message: 'contactPhone must be a phone number such as 030 123 45 67' })
  @IsString({ message: 'contactPhone must be text' })
  contactPhone?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: TEXT_LIMITS.openingHours,
    example: 'maandag tot en met vrijdag van 9.00 tot 17.00 uur',
    description: "When clients can call, in the organisation's words; absent: unchanged, null: removed",
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @TextLimit('openingHours')
  @IsString({ message: 'openingHours must be text' })
  openingHours?: string | null;

  @ApiPropertyOptional({ description: 'A template version; null or absent: the newest Klantbeleving' })
  @IsOptional()
  @IsUUID()
  templateId?: string | null;
}
