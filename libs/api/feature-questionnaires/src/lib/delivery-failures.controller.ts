import { todayInAmsterdam } from '@klantmonitor/shared/domain';
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DeliveryFailuresResponse } from '@klantmonitor/shared/domain';
import { AuthUser, CurrentUser, Roles } from '@klantmonitor/api/core';
import { TenantDb } from '@klantmonitor/server/db';
import { DELIVERY_FAILURE_DAYS, DeliveryFailuresRepository } from './delivery-failures.repository';

/** Invitations that could not be delivered (a wrong address or number): for the admin's start page. */
@ApiTags('questionnaires')
@ApiBearerAuth()
@Controller('v1/questionnaires')
export class DeliveryFailuresController {
  constructor(
    private readonly db: TenantDb,
    private readonly repo: DeliveryFailuresRepository,
  ) {}

  @Get('delivery-failures')
  @Roles('org_admin', 'counselor')
  @ApiOperation({
    summary: `Invitations not delivered in the last ${DELIVERY_FAILURE_DAYS} days (newest 20, with the total) and why`,
  })
  async recent(@CurrentUser() user: AuthUser): Promise<DeliveryFailuresResponse> {
    const { total, rows } = await this.db.run({ organisationId: user.organisationId }, (em) =>
      this.repo.recent(em, todayInAmsterdam(), 20),
    );
    return {
      total,
      items: rows.map((r) => ({
        clientId: r.client_id,
        clientRef: r.client_ref,
        wave: r.wave_key,
        channel: r.channel,
        plannedOn: r.planned_on,
        reason: r.failed_reason,
      })),
    };
  }
}
