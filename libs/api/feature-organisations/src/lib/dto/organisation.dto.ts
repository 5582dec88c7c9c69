import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { TextLimit } from '@klantmonitor/api/core';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import {
  ORGANISATION_ROLES,
  type CreateOrganisationRequest,
  type CreateUserRequest,
  type OrganisationRole,
  type OrganisationResponse,
  type SecurityPolicy,
  type UpdateOrganisationRequest,
  type UserResponse,
} from '@klantmonitor/shared/domain';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class MunicipalityDto {
  @ApiProperty({ example: 'GM0344' }) code!: string;
  @ApiProperty({ example: 'Utrecht' }) name!: string;
}

export class CreateOrganisationDto implements CreateOrganisationRequest {
  @ApiProperty({ example: 'Kredietbank Midden' })
  // class-validator runs the bottom decorator first: the type check stays last.
  @Transform(trim)
  @TextLimit('organisationName', 'name')
  @MinLength(2)
  @IsString()
  name!: string;

  @ApiProperty({ example: ['GM0344'], description: 'CBS codes of the municipalities served' })
  @Matches(/^GM\d{4}$/, { each: true, message: 'each municipality must be a CBS code such as GM0344' })
  @ArrayUnique({ message: 'municipalities must not repeat a code' })
  @ArrayMaxSize(400)
  @ArrayMinSize(1, { message: 'municipalities must name at least one municipality' })
  @IsArray()
  municipalities!: string[];
}

/** PATCH /organisations/:id (platform admin): any of name, municipalities, active. */
export class UpdateOrganisationDto implements UpdateOrganisationRequest {
  @ApiPropertyOptional({ example: 'Kredietbank Midden-Nederland' })
  @IsOptional()
  @Transform(trim)
  @TextLimit('organisationName', 'name')
  @MinLength(2)
  @IsString()
  name?: string;

  @ApiPropertyOptional({
    example: ['GM0344', 'GM0307'],
    description:
      'The full new list of CBS codes served; a municipality where the organisation still has trajectories cannot be left out (409)',
  })
  @IsOptional()
  @Matches(/^GM\d{4}$/, { each: true, message: 'each municipality must be a CBS code such as GM0344' })
  @ArrayUnique({ message: 'municipalities must not repeat a code' })
  @ArrayMaxSize(400)
  @ArrayMinSize(1, { message: 'municipalities must name at least one municipality' })
  @IsArray()
  municipalities?: string[];

  @ApiPropertyOptional({
    description:
      'false: nobody of the organisation can sign in, open sessions end at once, no invitations are planned and its figures leave the benchmark; true: undoes that',
  })
  @IsOptional()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

export class OrganisationResponseDto implements OrganisationResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [MunicipalityDto] }) municipalities!: MunicipalityDto[];
  @ApiProperty() createdAt!: string;
  @ApiProperty({ description: 'false once a platform admin deactivated it' }) active!: boolean;
}

export class CreateUserDto implements CreateUserRequest {
  @ApiProperty({ example: 'j.jansen@gemeente.nl' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @TextLimit('email')
  email!: string;

  @ApiPropertyOptional({
    description:
      'Leave out to invite: the person gets an e-mail with a link (7 days) to choose their own password. Else 12 to 128 characters, not the e-mail address, not a common password',
    example: 'een lange wachtzin',
  })
  @IsOptional()
  @MaxLength(128, { message: 'password must be at most 128 characters' })
  @IsString({ message: 'password must be a string' })
  password?: string;

  @ApiProperty({ enum: ORGANISATION_ROLES })
  @IsIn(ORGANISATION_ROLES, { message: `role must be one of ${ORGANISATION_ROLES.join(', ')}` })
  role!: OrganisationRole;

  @ApiPropertyOptional({ example: 'Jan Jansen' })
  @IsOptional()
  @Transform(trim)
  @TextLimit('personName', 'name')
  @MinLength(1)
  @IsString()
  name?: string;
}

export class CreatedIdDto {
  @ApiProperty() id!: string;
}

export class CounselorDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class UserResponseDto implements UserResponse {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ enum: ORGANISATION_ROLES }) role!: OrganisationRole;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) lastLoginAt!: string | null;
  @ApiProperty({ description: 'Signs in with a code from an authenticator app too' }) totpEnabled!: boolean;
  @ApiProperty({ description: 'May sign in (false: deactivated)' }) active!: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "When the account was linked to its user at the organisation's identity provider (first SSO sign-in)",
  })
  ssoLinkedAt!: string | null;
}

/** PUT /organisations/:id/security and /platform/security: the roles that must use two-step verification. */
export class SecurityPolicyDto implements SecurityPolicy {
  @ApiProperty({ enum: ORGANISATION_ROLES, isArray: true, example: ['org_admin'] })
  @IsIn(ORGANISATION_ROLES, {
    each: true,
    message: `totpRequiredRoles must hold only ${ORGANISATION_ROLES.join(', ')}`,
  })
  @ArrayUnique({ message: 'totpRequiredRoles must not name a role twice' })
  @ArrayMaxSize(ORGANISATION_ROLES.length)
  @IsArray({ message: 'totpRequiredRoles must be a list of roles' })
  totpRequiredRoles!: OrganisationRole[];
}
