import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, RequestId, Roles, uuidParam } from '@klantmonitor/api/core';
import { AlertsService } from './alerts.service';

/** A counselor marks an alert as handled (it stays in the history). */
@ApiTags('clients')
@ApiBearerAuth()
@Controller('v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Post(':id/resolve')
  @Roles('counselor', 'org_admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark an open alert as handled' })
  @ApiOkResponse({
    description: 'Handled',
    schema: { type: 'object', properties: { id: { type: 'string' }, resolved: { type: 'boolean' } } },
  })
  @ApiNotFoundResponse({ description: 'No open alert with this id in your organisation' })
  resolve(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string, @RequestId() requestId: string) {
    return this.alerts.resolve(user, id, requestId);
  }
}
