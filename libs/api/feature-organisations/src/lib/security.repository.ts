import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { OrganisationRole } from '@klantmonitor/shared/domain';

/**
 * SQL of the two-step verification policies (docs/data-access.md): organisations.totp_required_roles
 * and the single row of platform_settings. Callers pass the tenant-scoped EntityManager.
 */
@Injectable()
export class SecurityRepository {
  async organisationRoles(em: EntityManager, organisationId: string): Promise<OrganisationRole[] | null> {
    const [row]: { roles: OrganisationRole[] }[] = await em.query(
      'SELECT totp_required_roles AS roles FROM organisations WHERE id = $1',
      [organisationId],
    );
    return row ? row.roles : null;
  }

  async setOrganisationRoles(em: EntityManager, organisationId: string, roles: OrganisationRole[]): Promise<void> {
    await em.query('UPDATE organisations SET totp_required_roles = $2::text[] WHERE id = $1', [organisationId, roles]);
  }

  async platformRoles(em: EntityManager): Promise<OrganisationRole[]> {
    const [row]: { roles: OrganisationRole[] }[] = await em.query(
      'SELECT totp_required_roles AS roles FROM platform_settings WHERE id = 1',
    );
    return row?.roles ?? [];
  }

  async setPlatformRoles(em: EntityManager, roles: OrganisationRole[]): Promise<void> {
    await em.query('UPDATE platform_settings SET totp_required_roles = $1::text[], updated_at = now() WHERE id = 1', [
      roles,
    ]);
  }
}
