import type { EntityManager } from 'typeorm';
import { appendAudit, TenantDb } from '@klantmonitor/server/db';
import { authRepository, type AuthRow } from './auth.repository';
import { IssuedTokens, Tokens } from './tokens';

/**
 * The end of every sign-in, by password or through the organisation's provider: the login recorded,
 * a session with its tokens, and `auth.login` audited with how, in one transaction of the user's
 * organisation. `enrol`: a required second factor is not set up yet (a session for setting it up).
 * `also`: more of the same transaction (single sign-on binds the account to the provider's user).
 */
export function completeSignIn(
  db: TenantDb,
  tokens: Tokens,
  user: AuthRow,
  requestId: string,
  details: Record<string, unknown>,
  enrol = false,
  also?: (em: EntityManager) => Promise<void>,
): Promise<IssuedTokens> {
  return db.run({ organisationId: user.organisation_id }, async (em) => {
    if (also) await also(em);
    await authRepository.recordLogin(em, user.id);
    const issued = await tokens.issue(
      { id: user.id, role: user.role, organisationId: user.organisation_id },
      em,
      enrol,
    );
    await appendAudit(em, {
      organisationId: user.organisation_id,
      actorUserId: user.id,
      actorRole: user.role,
      action: 'auth.login',
      requestId,
      details: { ...details, session: issued.sessionId },
    });
    return issued;
  });
}
