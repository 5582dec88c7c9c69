import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Matches, MaxLength } from 'class-validator';

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
