import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
// Domains are case-insensitive: compared and stored in lower case (the answer shows them so).
const lower = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.toLowerCase() : v)) : value;

/** PUT /organisations/:id/sso (the organisation's own admin): its OpenID Connect provider. */
export class SsoSettingsDto {
  @ApiProperty({
    example: 'https://login.microsoftonline.com/<tenant>/v2.0',
    description:
      'The issuer exactly as the provider names it; https:// on a public address (no private, loopback or link-local host, nor a name resolving to one)',
  })
  @MaxLength(500)
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'issuer must be a URL starting with https://' })
  @IsString()
  issuer!: string;

  @ApiProperty({ example: 'klantmonitor' })
  @MaxLength(200)
  @MinLength(1)
  @IsString()
  clientId!: string;

  @ApiProperty({
    required: false,
    description: 'Stored sealed; never given back. Required the first time; left out, the stored one stays',
  })
  @MaxLength(500)
  @MinLength(1)
  @IsString()
  @IsOptional()
  clientSecret?: string;

  @ApiProperty({ example: ['utrecht.nl'], description: 'E-mail domains whose staff sign in with this provider' })
  @Transform(lower)
  @Matches(DOMAIN, { each: true, message: 'each e-mail domain must be a domain name such as utrecht.nl' })
  @ArrayUnique({ message: 'emailDomains must not repeat a domain' })
  @ArrayMaxSize(20)
  @ArrayMinSize(1, { message: 'emailDomains must name at least one domain' })
  @IsArray()
  emailDomains!: string[];

  @ApiProperty({
    required: false,
    default: false,
    description:
      "Trust the provider's multi-factor: an ID token whose amr names mfa, otp, hwk or swk counts as the second factor",
  })
  @IsBoolean({ message: 'trustProviderMfa must be true or false' })
  @IsOptional()
  trustProviderMfa?: boolean;

  @ApiProperty({
    required: false,
    default: false,
    description: 'SSO only: accounts of these domains cannot use a password and get no invitation or reset mail',
  })
  @IsBoolean({ message: 'ssoOnly must be true or false' })
  @IsOptional()
  ssoOnly?: boolean;
}

/** What GET and PUT answer: never the secret. */
export class SsoSettingsView {
  @ApiProperty() issuer!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty({ type: [String] }) emailDomains!: string[];
  @ApiProperty({ description: 'A client secret is stored (it is never given back)' }) hasClientSecret!: boolean;
  @ApiProperty() trustProviderMfa!: boolean;
  @ApiProperty() ssoOnly!: boolean;
  @ApiProperty() updatedAt!: string;
}
