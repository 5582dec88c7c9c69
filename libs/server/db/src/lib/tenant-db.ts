import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** Whose data a unit of work may touch. */
export interface TenantScope {
  /** The organisation whose rows are visible; null for none (platform-level work). */
  organisationId: string | null;
  /** Platform admins may list and create organisations (and nothing else across tenants). */
  platformAdmin?: boolean;
}

/**
 * Runs work in one transaction with the tenant set for row-level security. Every database access
 * of the api and worker goes through here, so no query can run without a tenant decision.
 */
@Injectable()
export class TenantDb {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(scope: TenantScope, work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (em) => {
      await em.query(
        `SELECT set_config('app.organisation_id', $1, true), set_config('app.platform_admin', $2, true)`,
        [scope.organisationId ?? '', scope.platformAdmin ? 'on' : 'off'],
      );
      return work(em);
    });
  }

  /** Queries that need no tenant: reference data and the SECURITY DEFINER sign-in lookups. */
  get global(): EntityManager {
    return this.dataSource.manager;
  }
}
