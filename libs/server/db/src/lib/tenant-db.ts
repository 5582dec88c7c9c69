import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

  async run<T>(scope: TenantScope, work: (em: EntityManager) => Promise<T>): Promise<T> {
    const organisationId = scope.organisationId ?? '';
    // The value goes into the SQL text (below): only a uuid may get there.
    if (organisationId !== '' && !UUID.test(organisationId)) throw new Error('TenantDb: organisationId is not a uuid');
    const qr = this.dataSource.createQueryRunner();
    await qr.connect();
    try {
      // Begin and set the tenant in one round trip (the simple protocol takes two statements; both
      // values are checked literals). Every request pays for each round trip, so this one counts.
      await qr.query(
        `START TRANSACTION; SELECT set_config('app.organisation_id', '${organisationId}', true), set_config('app.platform_admin', '${scope.platformAdmin ? 'on' : 'off'}', true)`,
      );
      let result: T;
      try {
        result = await work(qr.manager);
      } catch (e) {
        await qr.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
      await qr.query('COMMIT');
      return result;
    } finally {
      await qr.release();
    }
  }

  /** Queries that need no tenant: reference data and the SECURITY DEFINER sign-in lookups. */
  get global(): EntityManager {
    return this.dataSource.manager;
  }
}
