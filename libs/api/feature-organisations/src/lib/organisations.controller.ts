import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ROLES } from '@klantmonitor/shared/domain';
import { AuthUser, CurrentUser, RequestId, Roles, uuidParam } from '@klantmonitor/api/core';
import {
  CounselorDto,
  CreatedIdDto,
  CreateOrganisationDto,
  CreateUserDto,
  MunicipalityDto,
  OrganisationResponseDto,
  SecurityPolicyDto,
  UpdateOrganisationDto,
  UserResponseDto,
} from './dto/organisation.dto';
import { OrganisationsService } from './organisations.service';
import { SsoSettingsDto, SsoSettingsView } from './dto/sso.dto';
import { SsoService } from './sso.service';
import { UpdateUserDto } from './dto/update-user.dto';

@ApiTags('organisations')
@ApiBearerAuth()
@Controller('v1')
export class OrganisationsController {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly sso: SsoService,
  ) {}

  @Get('organisations/:id/sso')
  @Roles('platform_admin', 'org_admin')
  @ApiOperation({ summary: "The organisation's single sign-on (OpenID Connect) settings, without the secret" })
  @ApiOkResponse({ type: SsoSettingsView })
  @ApiNotFoundResponse({ description: 'No such organisation, or no single sign-on set up (code sso_not_set)' })
  getSso(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string) {
    return this.sso.get(user, id);
  }

  @Put('organisations/:id/sso')
  @Roles('platform_admin', 'org_admin')
  @ApiOperation({
    summary:
      "Set up or change the organisation's single sign-on {issuer, clientId, clientSecret, emailDomains, trustProviderMfa, ssoOnly} (its own admin only)",
  })
  @ApiOkResponse({ type: SsoSettingsView })
  @ApiBadRequestResponse({ description: 'issuer not https, private, loopback or link-local; a field missing or wrong' })
  @ApiForbiddenResponse({ description: 'A platform admin (code sso_own_organisation): only the organisation sets it' })
  @ApiNotFoundResponse({ description: 'No such organisation' })
  @ApiConflictResponse({ description: "A domain signs in with another organisation's provider (code domain_in_use)" })
  putSso(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam()) id: string,
    @Body() dto: SsoSettingsDto,
    @RequestId() requestId: string,
  ) {
    return this.sso.set(user, id, dto, requestId);
  }

  @Delete('organisations/:id/sso')
  @Roles('platform_admin', 'org_admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Turn single sign-on off: staff sign in with their password again' })
  @ApiNoContentResponse({ description: 'Turned off' })
  @ApiNotFoundResponse({ description: 'No such organisation, or no single sign-on set up (code sso_not_set)' })
  deleteSso(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string, @RequestId() requestId: string) {
    return this.sso.remove(user, id, requestId);
  }

  @Delete('organisations/:id/users/:userId/sso-link')
  @Roles('platform_admin', 'org_admin')
  @HttpCode(204)
  @ApiOperation({
    summary: "Remove an account's link to its user at the identity provider: the next single sign-on links it again",
  })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiNotFoundResponse({ description: 'No such user in this organisation, or it has no link (code sso_not_linked)' })
  unlinkSso(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam()) id: string,
    @Param('userId', uuidParam('userId')) userId: string,
    @RequestId() requestId: string,
  ) {
    return this.organisations.unlinkSso(user, id, userId, requestId);
  }

  @Get('municipalities')
  @Roles(...ROLES)
  @ApiOperation({ summary: 'All current Dutch municipalities (CBS codes)' })
  @ApiOkResponse({ type: [MunicipalityDto] })
  municipalities() {
    return this.organisations.listMunicipalities();
  }

  @Post('organisations')
  @Roles('platform_admin')
  @ApiOperation({ summary: 'Create an organisation (tenant) serving one or more municipalities' })
  @ApiCreatedResponse({ type: OrganisationResponseDto })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateOrganisationDto, @RequestId() requestId: string) {
    return this.organisations.create(user, dto, requestId);
  }

  @Get('organisations')
  @Roles(...ROLES)
  @ApiOperation({ summary: 'Organisations: all for a platform admin, otherwise your own' })
  @ApiOkResponse({ type: [OrganisationResponseDto] })
  list(@CurrentUser() user: AuthUser) {
    return this.organisations.list(user);
  }

  @Get('organisations/:id')
  @Roles(...ROLES)
  @ApiOperation({ summary: 'One organisation with the municipalities it serves (yours, or any for a platform admin)' })
  @ApiOkResponse({ type: OrganisationResponseDto })
  get(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string) {
    return this.organisations.get(user, id);
  }

  @Patch('organisations/:id')
  @Roles('platform_admin')
  @ApiOperation({
    summary:
      'Rename an organisation, change the municipalities it serves, or deactivate / reactivate it {name?, municipalities?, active?}. Deactivated: nobody of it signs in (open sessions end at once) and its figures leave the benchmark',
  })
  @ApiOkResponse({ type: OrganisationResponseDto })
  @ApiNotFoundResponse({ description: 'No such organisation' })
  @ApiConflictResponse({
    description:
      'The name is in use (name_in_use), or a municipality left out still has trajectories (municipality_in_use)',
  })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam()) id: string,
    @Body() dto: UpdateOrganisationDto,
    @RequestId() requestId: string,
  ) {
    return this.organisations.update(user, id, dto, requestId);
  }

  @Post('organisations/:id/users')
  @Roles('platform_admin', 'org_admin')
  @ApiOperation({ summary: 'Create a staff account in an organisation' })
  @ApiCreatedResponse({ type: CreatedIdDto })
  createUser(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam()) id: string,
    @Body() dto: CreateUserDto,
    @RequestId() requestId: string,
  ) {
    return this.organisations.createUser(user, id, dto, requestId);
  }

  @Patch('organisations/:id/users/:userId')
  @Roles('platform_admin', 'org_admin')
  @ApiOperation({
    summary:
      "Change a colleague's role, name or whether they may sign in {role?, active?, name?}; a new role or active: false ends their sessions at once. Not for your own role or to deactivate yourself",
  })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiNotFoundResponse({ description: 'No such user in this organisation' })
  updateUser(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam()) id: string,
    @Param('userId', uuidParam('userId')) userId: string,
    @Body() dto: UpdateUserDto,
    @RequestId() requestId: string,
  ) {
    return this.organisations.updateUser(user, id, userId, dto, requestId);
  }

  @Delete('organisations/:id/users/:userId/totp')
  @Roles('platform_admin', 'org_admin')
  @HttpCode(204)
  @ApiOperation({
    summary: "Turn a user's two-step verification off (lost phone); they set it up again after signing in",
  })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'No such user in this organisation' })
  resetTotp(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam()) id: string,
    @Param('userId', uuidParam('userId')) userId: string,
    @RequestId() requestId: string,
  ): Promise<void> {
    return this.organisations.resetTotp(user, id, userId, requestId);
  }

  @Get('organisations/:id/security')
  @Roles('platform_admin', 'org_admin')
  @ApiOperation({
    summary:
      'Roles of this organisation that must use two-step verification, and those the platform requires everywhere',
  })
  @ApiNotFoundResponse({ description: 'No such organisation (or not yours)' })
  @ApiOkResponse({
    description: 'totpRequiredRoles (this organisation) and platformTotpRequiredRoles (everywhere)',
    schema: {
      type: 'object',
      properties: {
        totpRequiredRoles: { type: 'array', items: { type: 'string' } },
        platformTotpRequiredRoles: { type: 'array', items: { type: 'string' } },
      },
    },
  })
  getSecurity(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string) {
    return this.organisations.securityPolicy(user, id);
  }

  @Put('organisations/:id/security')
  @Roles('platform_admin', 'org_admin')
  @ApiOperation({
    summary: 'Set the roles that must use two-step verification {totpRequiredRoles}; applies from the next sign-in',
  })
  @ApiOkResponse({ type: SecurityPolicyDto })
  putSecurity(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam()) id: string,
    @Body() dto: SecurityPolicyDto,
    @RequestId() requestId: string,
  ) {
    return this.organisations.setSecurityPolicy(user, id, dto, requestId);
  }

  @Get('platform/security')
  @Roles('platform_admin')
  @ApiOperation({ summary: 'Roles that must use two-step verification in every organisation' })
  @ApiOkResponse({ type: SecurityPolicyDto })
  getPlatformSecurity() {
    return this.organisations.platformSecurityPolicy();
  }

  @Put('platform/security')
  @Roles('platform_admin')
  @ApiOperation({
    summary: 'Set the roles that must use two-step verification in every organisation {totpRequiredRoles}',
  })
  @ApiOkResponse({ type: SecurityPolicyDto })
  putPlatformSecurity(@CurrentUser() user: AuthUser, @Body() dto: SecurityPolicyDto, @RequestId() requestId: string) {
    return this.organisations.setPlatformSecurityPolicy(user, dto, requestId);
  }

  @Get('counselors')
  @Roles('counselor', 'org_admin')
  @ApiOperation({
    summary:
      "The organisation's active counselors: whom a trajectory can be handed to (PUT /trajectories/:id/counselor)",
  })
  @ApiOkResponse({ type: [CounselorDto] })
  counselors(@CurrentUser() user: AuthUser) {
    return this.organisations.counselors(user);
  }

  @Get('organisations/:id/users')
  @ApiOperation({
    summary: "The organisation's staff accounts: role, whether active, last sign-in, two-step verification",
  })
  @Roles('platform_admin', 'org_admin')
  @ApiOkResponse({ type: [UserResponseDto] })
  listUsers(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string) {
    return this.organisations.listUsers(user, id);
  }
}
