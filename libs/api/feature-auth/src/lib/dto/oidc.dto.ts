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

/** GET /auth/oidc/callback: what the provider sends back (checked by openid-client; kept as given). */
export class OidcCallbackQueryDto {
  @ApiProperty({ required: false }) @IsOptional() @MaxLength(2000) @IsString() code?: string;
  @ApiProperty({ required: false }) @IsOptional() @MaxLength(200) @IsString() state?: string;
  @ApiProperty({ required: false }) @IsOptional() @MaxLength(2000) @IsString() iss?: string;
  @ApiProperty({ required: false }) @IsOptional() @MaxLength(200) @IsString() error?: string;
  @ApiProperty({ required: false }) @IsOptional() @MaxLength(2000) @IsString() error_description?: string;
  @ApiProperty({ required: false }) @IsOptional() @MaxLength(200) @IsString() session_state?: string;
}
