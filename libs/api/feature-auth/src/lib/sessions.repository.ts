import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantDb } from '@klantmonitor/server/db';

/**
 * All SQL of user_sessions (docs/data-access.md). The app role reaches the table only through the
 * SECURITY DEFINER functions of sql/auth/sessions-v1.sql; a trigger on users ends an account's
 * sessions when its password, role, organisation, activity or second factor changes.
 */
@Injectable()
export class SessionsRepository {
  constructor(private readonly db: TenantDb) {}

  /** A new session open for `seconds`; null when the account is unknown or deactivated. */
  async start(userId: string, seconds: number, em?: EntityManager): Promise<string | null> {
    const [row]: { id: string | null }[] = await (em ?? this.db.global).query(
      'SELECT km_auth_session_start($1, $2) AS id',
      [userId, seconds],
    );
    return row?.id ?? null;
  }

  async isOpen(sessionId: string, userId: string): Promise<boolean> {
    const [row]: { open: boolean }[] = await this.db.global.query('SELECT km_auth_session_open($1, $2) AS open', [
      sessionId,
      userId,
    ]);
    return row?.open === true;
  }

  /** Does the user's organisation, or the platform, require a second factor for the user's role? */
  async totpRequiredByPolicy(userId: string): Promise<boolean> {
    const [row]: { required: boolean }[] = await this.db.global.query('SELECT km_auth_totp_required($1) AS required', [
      userId,
    ]);
    return row?.required === true;
  }

  /** Ends one session; true when it was open. */
  async end(sessionId: string, userId: string): Promise<boolean> {
    const [row]: { ended: boolean }[] = await this.db.global.query('SELECT km_auth_session_end($1, $2) AS ended', [
      sessionId,
      userId,
    ]);
    return row?.ended === true;
  }
}
