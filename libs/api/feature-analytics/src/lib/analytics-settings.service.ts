import { Injectable } from '@nestjs/common';
import { AuthUser } from '@klantmonitor/api/core';
import { appendAudit, TenantDb } from '@klantmonitor/server/db';

/**
 * The organisation's small-cell setting (docs/metrics.md: minCell per organisation, never below 5).
 * A change bumps the settings version, so every api instance reads the settings again.
 */
@Injectable()
export class AnalyticsSettingsService {
  constructor(private readonly db: TenantDb) {}

  async settings(user: AuthUser): Promise<{ minCell: number }> {
    const organisationId = user.organisationId as string;
    const [own]: { min_cell: number }[] = await this.db.run({ organisationId }, (em) =>
      em.query('SELECT min_cell FROM organisations WHERE id = km_current_organisation_id()'),
    );
    return { minCell: own.min_cell };
  }

  async updateSettings(user: AuthUser, minCell: number, requestId: string): Promise<{ minCell: number }> {
    const organisationId = user.organisationId as string;
    await this.db.run({ organisationId }, async (em) => {
      const [[row]]: [{ previous: number }[], number] = await em.query(
        `UPDATE organisations o SET min_cell = $1
         FROM (SELECT min_cell AS previous FROM organisations WHERE id = km_current_organisation_id()) p
         WHERE o.id = km_current_organisation_id() RETURNING p.previous`,
        [minCell],
      );
      await appendAudit(em, {
        organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'analytics.settings.update',
        requestId,
        details: { minCell, previous: row.previous },
      });
      // Every api instance reads small-cell settings again (they are kept per settings version).
      await em.query('UPDATE analytics_state SET settings_version = settings_version + 1 WHERE id = 1');
    });
    return { minCell };
  }
}
