import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  AuthUser,
  CurrentUser,
  RequestId,
  Roles,
  SessionCheckedInTransaction,
  uuidParam,
} from '@klantmonitor/api/core';
import { ClientsService } from './clients.service';
import {
  AssignCounselorDto,
  RegistrationDto,
  CaseloadQueryDto,
  CloseTrajectoryDto,
  CreateClientDto,
  EndServiceDto,
  MarkStepDto,
  RecordDropoutDto,
  RecordSupportDto,
  StartServiceDto,
  UpdateClientDto,
  WithdrawStepDto,
} from './dto/clients.dto';
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
  @SessionCheckedInTransaction() // the caseload: its session is checked with its BEGIN (#26)
  @ApiOperation({
    summary:
      'Caseload: one row per client, with filters, sorting and paging; format=csv|xlsx gives the whole view as a file',
  })
  async caseload(
    @CurrentUser() user: AuthUser,
    @Query() query: CaseloadQueryDto,
    @RequestId() requestId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (query.format !== 'csv' && query.format !== 'xlsx') return this.clients.caseload(user, query, requestId);
    const file = await this.clients.caseloadExport(user, query, query.format, requestId);
    reply.header('content-type', file.contentType);
    reply.header('content-disposition', `attachment; filename="${file.filename}"`);
    reply.header('cache-control', 'private, no-store');
    return file.body;
  }

  @Get('client-types')
  @Roles(...CLIENT_ROLES)
  @ApiOperation({ summary: "The organisation's client types (code and name), for the caseload's filter" })
  clientTypes(@CurrentUser() user: AuthUser) {
    return this.clients.clientTypes(user);
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
  @ApiOkResponse({ description: 'The client record (the read is audited)' })
  @ApiNotFoundResponse()
  detail(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string, @RequestId() requestId: string) {
    return this.clients.detail(user, id, requestId);
  }

  @Patch('clients/:id')
  @Roles(...CLIENT_ROLES)
  @ApiOperation({ summary: 'Change contact and intake fields (null clears one); audited without the values' })
  @ApiOkResponse({ description: 'The client record as it stands afterwards' })
  @ApiNotFoundResponse()
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam()) id: string,
    @Body() dto: UpdateClientDto,
    @RequestId() requestId: string,
  ) {
    return this.clients.update(user, id, dto, requestId);
  }

  @Put('trajectories/:id/counselor')
  @Roles(...CLIENT_ROLES)
  @ApiOperation({ summary: 'Hand the trajectory to a colleague (an active counselor of the same organisation)' })
  @ApiOkResponse({ description: 'The trajectory as it stands afterwards' })
  @ApiNotFoundResponse()
  assignCounselor(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam()) id: string,
    @Body() dto: AssignCounselorDto,
    @RequestId() requestId: string,
  ) {
    return this.trajectories.assignCounselor(user, id, dto, requestId);
  }

  @Put('trajectories/:id/registration')
  @Roles(...CLIENT_ROLES)
  @ApiOperation({
    summary: 'Correct the request for help: its date and crisis; the legal first-meeting term follows from them',
  })
  @ApiOkResponse({ description: 'The trajectory as it stands afterwards' })
  @ApiNotFoundResponse()
  setRegistration(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam()) id: string,
    @Body() dto: RegistrationDto,
    @RequestId() requestId: string,
  ) {
    return this.trajectories.setRegistration(user, id, dto, requestId);
  }

  @Post('trajectories/:id/steps')
  @Roles(...CLIENT_ROLES)
  @SessionCheckedInTransaction() // the busiest write: its session is checked with its BEGIN (#26)
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a step on a date (a new date for a marked step is a correction)' })
  @ApiOkResponse({ description: 'The trajectory as it stands afterwards' })
  markStep(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam()) id: string,
    @Body() dto: MarkStepDto,
    @RequestId() requestId: string,
  ) {
    return this.trajectories.markStep(user, id, dto, requestId);
  }

  @Delete('trajectories/:id/steps/:step')
  @Roles(...CLIENT_ROLES)
  @ApiOperation({ summary: 'Withdraw a marked step (a correction: kept in the history and audited)' })
  withdrawStep(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam()) id: string,
    @Param('step') step: string,
    @Body() body: WithdrawStepDto,
    @RequestId() requestId: string,
  ) {
    return this.trajectories.withdrawStep(user, id, step, requestId, body?.note);
  }

  @Post('trajectories/:id/dropout')
  @Roles(...CLIENT_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'Record a dropout with date and reason' })
  dropout(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam()) id: string,
    @Body() dto: RecordDropoutDto,
    @RequestId() requestId: string,
  ) {
    return this.trajectories.recordDropout(user, id, dto, requestId);
  }

  @Post('trajectories/:id/close')
  @Roles(...CLIENT_ROLES)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Close an open trajectory {date, reason: completed | referred | other}; no more invitations, open signals handled',
  })
  close(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam()) id: string,
    @Body() dto: CloseTrajectoryDto,
    @RequestId() requestId: string,
  ) {
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
  support(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam()) id: string,
    @Body() dto: RecordSupportDto,
    @RequestId() requestId: string,
  ) {
    return this.trajectories.recordSupport(user, id, dto, requestId);
  }

  @Post('trajectories/:id/services')
  @Roles(...CLIENT_ROLES)
  @ApiOperation({ summary: 'Start a service (budget management, protection, budget coaching, other)' })
  startService(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam()) id: string,
    @Body() dto: StartServiceDto,
    @RequestId() requestId: string,
  ) {
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
