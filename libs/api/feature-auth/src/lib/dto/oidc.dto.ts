import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** POST /auth/oidc/check and GET /auth/oidc/start?email= */
export class OidcEmailDto {
  @ApiProperty({ example: 'hulpverlener@utrecht.nl' })
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email!: string;
}

/** POST /auth/oidc/exchange: the one-time code from /inloggen?sso=... */
export class OidcExchangeDto {
  @ApiProperty({ description: 'The code the sign-in page got in its address (single use, 60 seconds)' })
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'code must be the code from the sign-in address' })
  @IsString()
  code!: string;
}

/** POST /auth/oidc/exchange with the second factor: the same code and the code of the app (or a recovery code). */
export class OidcExchangeTotpDto extends OidcExchangeDto {
  @ApiProperty({
    required: false,
    description:
      'When the first answer was {totpRequired: true}: the six digits the authenticator app shows, or a recovery code',
  })
  @Matches(/^(\d{6}|[A-Za-z0-9]{5}-?[A-Za-z0-9]{5})$/, {
    message: 'totp must be the six digits of your app or a recovery code',
  })
  @IsString()
  @IsOptional()
  totp?: string;
}
