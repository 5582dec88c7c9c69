import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@klantmonitor/api/core';
import { WorklistQueryDto } from './dto/worklist.dto';
import { WorklistService } from './worklist.service';

@ApiTags('clients')
@ApiBearerAuth()
@Controller('v1/worklist')
export class WorklistController {
  constructor(private readonly worklist: WorklistService) {}

  @Get()
  @Roles('counselor', 'org_admin')
  @ApiOperation({
    summary:
      'Open signals, stalled clients, new answers (7 days), invitations expiring within 3 days and quiet clients (no step for 30+ days); at most 50 lines each',
  })
  @ApiOkResponse({
    description:
      '{scope, today, alerts, stalled, newResponses, expiringInvitations, quiet}: lists of {clientId, clientRef, ...why}',
  })
  get(@CurrentUser() user: AuthUser, @Query() q: WorklistQueryDto) {
    return this.worklist.get(user, q);
  }
}
