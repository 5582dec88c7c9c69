import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

/** `POST /auth/totp/setup {password}`: the password again, so a left-open session cannot do it. */
export class TotpSetupDto {
  @ApiProperty({ description: 'Your current password' })
  @MaxLength(256)
  @MinLength(1, { message: 'password is required' })
  @IsString({ message: 'password must be a string' })
  password!: string;
}

/** `POST /auth/totp/enable {totp}`: the first code the app shows. */
export class TotpEnableDto {
  @ApiProperty({ example: '123456' })
  @Matches(/^\d{6}$/, { message: 'totp must be six digits' })
  @IsString({ message: 'totp must be six digits' })
  totp!: string;
}

/** `POST /auth/totp/disable {password, totp}`: password and a current code. */
export class TotpDisableDto extends TotpEnableDto {
  @ApiProperty({ description: 'Your current password' })
  @MaxLength(256)
  @MinLength(1, { message: 'password is required' })
  @IsString({ message: 'password must be a string' })
  password!: string;
}
