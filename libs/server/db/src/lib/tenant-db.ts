import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { inlineStatement, type Statement } from './one-trip';

/** The SQLSTATE of km_auth_session_require for a session that is not open (sql/auth/session-require-v1.sql). */
const SESSION_ENDED = 'KM401';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A signed-in session whose "still open?" check the api left to the transaction (#26): asked in
 * the same round trip as the BEGIN, before any work runs; `ended()` is what is thrown when it is
 * not open (the api's 401 `session_ended`). `checked` becomes true once it was found open.
 */
export interface SessionToCheck {
  id: string;
  userId: string;
  checked: boolean;
  ended(): Error;
}

/** Whose data a unit of work may touch. */
export interface TenantScope {
  /** The organisation whose rows are visible; null for none (platform-level work). */
  organisationId: string | null;
  /** Platform admins may list and create organisations (and nothing else across tenants). */
  platformAdmin?: boolean;
  /** A session to check in the BEGIN's round trip (routes marked @SessionCheckedInTransaction). */
  session?: SessionToCheck;
}

/**
 * The round trips of a hot unit of work (#26): a first statement sent with the BEGIN, a last one
 * with the COMMIT. Both go as text with their values written in as literals (`inlineStatement`),
 * because only the simple protocol carries several statements in one message.
 */
export interface Trip {
  /** The rows of the (last) `first` statement given to `run` (empty when none was given). */
  readonly first: Record<string, unknown>[];
  /**
   * Runs `last` and commits in one round trip; its rows. Must be the work's last statement: the
   * transaction has ended when it returns (TenantDb.run then sends no COMMIT of its own).
   */
  commitWith<T = Record<string, unknown>>(last: Statement): Promise<T[]>;
}

/** The names of the statements PREPAREd on each connection (SQL PREPARE lasts as long as the connection). */
const preparedOn = new WeakMap<object, Set<string>>();

interface PgClient {
  query(text: string): Promise<{ rows: Record<string, unknown>[] } | { rows: Record<string, unknown>[] }[]>;
}

/**
 * Runs work in one transaction with the tenant set for row-level security. Every database access
 * of the api and worker goes through here, so no query can run without a tenant decision.
 */
@Injectable()
export class TenantDb {
  constructor(private readonly dataSource: DataSource) {}

  async run<T>(
    scope: TenantScope,
    work: (em: EntityManager, trip: Trip) => Promise<T>,
    options: { first?: Statement | Statement[] } = {},
  ): Promise<T> {
    const firsts = options.first === undefined ? [] : Array.isArray(options.first) ? options.first : [options.first];
    const begin = this.beginText(scope, firsts);
    const qr = this.dataSource.createQueryRunner();
    await qr.connect();
    try {
      await this.ensurePrepared(qr, firsts);
      let committed = false;
      let first: Record<string, unknown>[] = [];
      let result: T;
      try {
        if (scope.session || firsts.length) {
          // [START TRANSACTION, SELECT set_config..., ...firsts]
          const results = await this.simple(qr, begin, scope.session);
          if (firsts.length) first = results[1 + firsts.length]?.rows ?? [];
        } else {
          await qr.query(begin);
        }
        const trip: Trip = {
          first,
          commitWith: async <R>(last: Statement) => {
            await this.ensurePrepared(qr, [last]);
            const results = await this.simple(qr, `${inlineStatement(last)}; COMMIT`);
            committed = true;
            return (results[0]?.rows ?? []) as R[];
          },
        };
        result = await work(qr.manager, trip);
      } catch (e) {
        if (!committed) await qr.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
      if (!committed) await qr.query('COMMIT');
      return result;
    } finally {
      await qr.release();
    }
  }

  /**
   * A unit of work that is SQL only, in one round trip (#26): the BEGIN, the tenant, the session
   * check, `statements` and the COMMIT in one message. Answers the rows of each statement, in order.
   * For a read whose audit entry is written by its own statement (the caseload page): nothing is left
   * for the api to do between the statements. Any error rolls back; a closed session raises before
   * the statements run (nothing read or written) and is thrown as `session.ended()`.
   */
  async once(scope: TenantScope, statements: Statement[]): Promise<Record<string, unknown>[][]> {
    if (!statements.length) throw new Error('TenantDb.once: no statements');
    const text = `${this.beginText(scope, statements)}; COMMIT`;
    const qr = this.dataSource.createQueryRunner();
    await qr.connect();
    try {
      await this.ensurePrepared(qr, statements);
      try {
        // [START TRANSACTION, SELECT set_config..., ...statements, COMMIT]
        const results = await this.simple(qr, text, scope.session);
        return statements.map((_, i) => results[2 + i]?.rows ?? []);
      } catch (e) {
        // A failed statement leaves the transaction aborted: the rest of the message was skipped.
        await qr.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    } finally {
      await qr.release();
    }
  }

  /**
   * START TRANSACTION and the tenant settings in one text (the simple protocol takes several
   * statements; the values are checked uuids), with the session check and the given statements.
   * Every request pays for each round trip, so this one counts.
   */
  private beginText(scope: TenantScope, statements: Statement[]): string {
    const organisationId = scope.organisationId ?? '';
    // The values go into the SQL text: only uuids may get there.
    if (organisationId !== '' && !UUID.test(organisationId)) throw new Error('TenantDb: organisationId is not a uuid');
    const session = scope.session;
    if (session && !(UUID.test(session.id) && UUID.test(session.userId)))
      throw new Error('TenantDb: session ids are not uuids');
    return (
      `START TRANSACTION; SELECT set_config('app.organisation_id', '${organisationId}', true), set_config('app.platform_admin', '${scope.platformAdmin ? 'on' : 'off'}', true)` +
      // Raises KM401 when the session is not open: PostgreSQL skips the rest of the message.
      (session ? `, km_auth_session_require('${session.id}', '${session.userId}') AS open` : '') +
      statements.map((f) => `; ${inlineStatement(f)}`).join('')
    );
  }

  /**
   * PREPAREs the named statements this connection has not prepared yet (once per connection and
   * statement: one extra round trip in the connection's life, outside any transaction state: a
   * PREPARE stays when a transaction rolls back).
   */
  private async ensurePrepared(qr: { connect(): Promise<unknown> }, statements: (Statement | undefined)[]) {
    if (!statements.some((s) => s?.name)) return;
    const client = (await qr.connect()) as object;
    let names = preparedOn.get(client);
    if (!names) preparedOn.set(client, (names = new Set()));
    for (const s of statements) {
      if (!s?.name || names.has(s.name)) continue;
      await this.simple(qr, `PREPARE ${s.name} AS ${s.text}`);
      names.add(s.name);
    }
  }

  /**
   * Several statements in one message on the query runner's connection; one result per statement.
   * With `session`, its check (km_auth_session_require, in the message) raising is thrown as
   * `session.ended()`, and a message that ran marks the session checked.
   */
  private async simple(
    qr: { connect(): Promise<unknown> },
    text: string,
    session?: SessionToCheck,
  ): Promise<{ rows: Record<string, unknown>[] }[]> {
    const client = (await qr.connect()) as PgClient;
    let r: Awaited<ReturnType<PgClient['query']>>;
    try {
      r = await client.query(text);
    } catch (e) {
      if (session && (e as { code?: string }).code === SESSION_ENDED) throw session.ended();
      throw new QueryFailedError(text, [], e as Error);
    }
    if (session) session.checked = true;
    return Array.isArray(r) ? r : [r];
  }

  /** Queries that need no tenant: reference data and the SECURITY DEFINER sign-in lookups. */
  get global(): EntityManager {
    return this.dataSource.manager;
  }
}
