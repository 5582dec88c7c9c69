import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '@klantmonitor/shared/domain';

/** `POST /auth/password {currentPassword, newPassword}` (signed in). */
export class ChangePasswordDto {
  @ApiProperty({ description: 'Your current password' })
  @MaxLength(256, { message: 'currentPassword is too long' })
  @MinLength(1, { message: 'currentPassword is required' })
  @IsString({ message: 'currentPassword must be a string' })
  currentPassword!: string;

  @ApiProperty({
    description: 'At least 12 characters, not your e-mail address, not a common password',
  })
  @MaxLength(PASSWORD_MAX_LENGTH, {
    message: `newPassword must be at most ${PASSWORD_MAX_LENGTH} characters`,
  })
  @IsString({ message: 'newPassword must be a string' })
  newPassword!: string;
}
