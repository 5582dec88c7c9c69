import { Controller, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, RequestId, Roles, uuidParam } from '@klantmonitor/api/core';
import { appendAudit, TenantDb } from '@klantmonitor/server/db';

/** A counselor marks an alert as handled (it stays in the history). */
@ApiTags('clients')
@ApiBearerAuth()
@Controller('v1/alerts')
export class AlertsController {
  constructor(private readonly db: TenantDb) {}

  @Post(':id/resolve')
  @Roles('counselor', 'org_admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark an open alert as handled' })
  @ApiNotFoundResponse({ description: 'No open alert with this id in your organisation' })
  resolve(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string, @RequestId() requestId: string) {
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const [rows] = await em.query(
        `UPDATE alerts a SET resolved_at = now() FROM trajectories t
         WHERE a.id = $1 AND a.resolved_at IS NULL AND t.id = a.trajectory_id RETURNING a.kind, t.client_id`,
        [id],
      );
      const r = (rows as { kind: string; client_id: string }[])[0];
      if (!r) throw new NotFoundException('No open alert with this id');
      await appendAudit(em, {
        organisationId: user.organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'alert.resolve',
        entityType: 'client',
        entityId: r.client_id,
        requestId,
        details: { alertId: id, kind: r.kind },
      });
      return { id, resolved: true };
    });
  }
}
