import { Injectable } from '@nestjs/common';
import { AuthUser } from '@klantmonitor/api/core';
import { appendAudit, TenantDb } from '@klantmonitor/server/db';
import { analyticsRepository } from './analytics.repository';

/**
 * The organisation's small-cell setting (docs/metrics.md: minCell per organisation, never below 5).
 * A change bumps the settings version, so every api instance reads the settings again.
 */
@Injectable()
export class AnalyticsSettingsService {
  constructor(private readonly db: TenantDb) {}

  async settings(user: AuthUser): Promise<{ minCell: number }> {
    const organisationId = user.organisationId as string;
    const minCell = await this.db.run({ organisationId }, (em) => analyticsRepository.ownMinCell(em));
    return { minCell: minCell as number };
  }

  async updateSettings(user: AuthUser, minCell: number, requestId: string): Promise<{ minCell: number }> {
    const organisationId = user.organisationId as string;
    await this.db.run({ organisationId }, async (em) => {
      // Every api instance reads small-cell settings again (they are kept per settings version).
      const previous = await analyticsRepository.setOwnMinCell(em, minCell);
      await appendAudit(em, {
        organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'analytics.settings.update',
        requestId,
        details: { minCell, previous },
      });
    });
    return { minCell };
  }
}
