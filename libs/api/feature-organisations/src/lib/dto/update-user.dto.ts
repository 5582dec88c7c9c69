import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString } from 'class-validator';
import { TextLimit } from '@klantmonitor/api/core';
import { ORGANISATION_ROLES, type OrganisationRole } from '@klantmonitor/shared/domain';

/** PATCH /organisations/:id/users/:userId: any of role, active, name. */
export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ORGANISATION_ROLES })
  @IsOptional()
  @IsIn(ORGANISATION_ROLES, {
    message: `role must be one of ${ORGANISATION_ROLES.join(', ')}`,
  })
  role?: OrganisationRole;

  @ApiPropertyOptional({
    description: 'false: every session ends at once and sign-in is refused; true: may sign in again',
  })
  @IsOptional()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;

  @ApiPropertyOptional({ maxLength: 120 })
  @IsOptional()
  @TextLimit('personName', 'name')
  @IsString({ message: 'name must be a text' })
  name?: string;
}
