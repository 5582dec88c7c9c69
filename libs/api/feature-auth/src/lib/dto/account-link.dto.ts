import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Matches, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '@klantmonitor/shared/domain';

/** `POST /auth/password/forgot {email}` */
export class ForgotPasswordDto {
  @ApiProperty({ example: 'hulpverlener@noordoost.demo.klantmonitor.nl' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @MaxLength(254, { message: 'email is too long' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email!: string;
}

/** `POST /auth/password/reset {token, password}` and `POST /auth/invitation/accept {token, password}` */
export class UseAccountLinkDto {
  @ApiProperty({
    description: 'The token from the link in the e-mail (43 characters)',
  })
  @Matches(/^[A-Za-z0-9_-]{43}$/, {
    message: 'token is not a token from our e-mail',
  })
  @IsString({ message: 'token must be a string' })
  token!: string;

  @ApiProperty({
    description: 'At least 12 characters, not your e-mail address, not a common password',
  })
  @MaxLength(PASSWORD_MAX_LENGTH, {
    message: `password must be at most ${PASSWORD_MAX_LENGTH} characters`,
  })
  @IsString({ message: 'password must be a string' })
  password!: string;
}
