import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, RequestId, Roles, uuidParam } from '@klantmonitor/api/core';
import { ClientsService } from './clients.service';
import { CaseloadQueryDto, CloseTrajectoryDto, CreateClientDto, EndServiceDto, MarkStepDto, RecordDropoutDto, RecordSupportDto, StartServiceDto } from './dto/clients.dto';
import { TrajectoriesService } from './trajectories.service';

/** Counselors and organisation admins work with individual clients; policy advisors never do. */
const CLIENT_ROLES = ['counselor', 'org_admin'] as const;

@ApiTags('clients')
@ApiBearerAuth()
@Controller('v1')
export class ClientsController {
  constructor(
    private readonly clients: ClientsService,
    private readonly trajectories: TrajectoriesService,
  ) {}

  @Post('clients')
  @Roles(...CLIENT_ROLES)
  @ApiOperation({ summary: 'Register a client and open their trajectory' })
  @ApiCreatedResponse({ description: '{id, trajectoryId}' })
  @ApiConflictResponse({ description: 'clientRef exists in the organisation' })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateClientDto, @RequestId() requestId: string) {
    return this.clients.create(user, dto, requestId);
  }

  @Get('clients')
  @Roles(...CLIENT_ROLES)
  @ApiOperation({ summary: 'Caseload: one row per client, with filters and paging' })
  caseload(@CurrentUser() user: AuthUser, @Query() query: CaseloadQueryDto, @RequestId() requestId: string) {
    return this.clients.caseload(user, query, requestId);
  }

  @Get('caseload/summary')
  @Roles(...CLIENT_ROLES)
  @ApiOperation({ summary: "Clients per step and median days to iu_in_view: mine next to the team's" })
  summary(@CurrentUser() user: AuthUser) {
    return this.clients.summary(user);
  }

  @Get('clients/:id')
  @Roles(...CLIENT_ROLES)
  @ApiOperation({ summary: 'A client with trajectory, effective step dates, support, services and assessments' })
  @ApiNotFoundResponse()
  detail(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string, @RequestId() requestId: string) {
    return this.clients.detail(user, id, requestId);
  }

  @Post('trajectories/:id/steps')
  @Roles(...CLIENT_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a step on a date (a new date for a marked step is a correction)' })
  @ApiOkResponse({ description: 'The trajectory as it stands afterwards' })
  markStep(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string, @Body() dto: MarkStepDto, @RequestId() requestId: string) {
    return this.trajectories.markStep(user, id, dto, requestId);
  }

  @Delete('trajectories/:id/steps/:step')
  @Roles(...CLIENT_ROLES)
  @ApiOperation({ summary: 'Withdraw a marked step (a correction: kept in the history and audited)' })
  withdrawStep(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string, @Param('step') step: string, @RequestId() requestId: string) {
    return this.trajectories.withdrawStep(user, id, step, requestId);
  }

  @Post('trajectories/:id/dropout')
  @Roles(...CLIENT_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'Record a dropout with date and reason' })
  dropout(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string, @Body() dto: RecordDropoutDto, @RequestId() requestId: string) {
    return this.trajectories.recordDropout(user, id, dto, requestId);
  }

  @Post('trajectories/:id/close')
  @Roles(...CLIENT_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'Close an open trajectory {date, reason: completed | referred | other}; no more invitations, open signals handled' })
  close(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string, @Body() dto: CloseTrajectoryDto, @RequestId() requestId: string) {
    return this.trajectories.close(user, id, dto, requestId);
  }

  @Post('trajectories/:id/reopen')
  @Roles(...CLIENT_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'Open a closed trajectory again (409 when it is not closed)' })
  reopen(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string, @RequestId() requestId: string) {
    return this.trajectories.reopen(user, id, requestId);
  }

  @Post('trajectories/:id/support')
  @Roles(...CLIENT_ROLES)
  @ApiOperation({ summary: 'Record a support contact' })
  support(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string, @Body() dto: RecordSupportDto, @RequestId() requestId: string) {
    return this.trajectories.recordSupport(user, id, dto, requestId);
  }

  @Post('trajectories/:id/services')
  @Roles(...CLIENT_ROLES)
  @ApiOperation({ summary: 'Start a service (budget management, protection, budget coaching, other)' })
  startService(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string, @Body() dto: StartServiceDto, @RequestId() requestId: string) {
    return this.trajectories.startService(user, id, dto, requestId);
  }

  @Post('trajectories/:id/services/:serviceId/end')
  @Roles(...CLIENT_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'End a service on a date' })
  endService(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam()) id: string,
    @Param('serviceId', uuidParam('serviceId')) serviceId: string,
    @Body() dto: EndServiceDto,
    @RequestId() requestId: string,
  ) {
    return this.trajectories.endService(user, id, serviceId, dto, requestId);
  }
}
