import { createHmac } from 'node:crypto';
import { GoneException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { AuthUser } from '@klantmonitor/api/core';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import {
  addDays,
  nextPortalStep,
  PORTAL_STEP_TEXTS,
  STEP_CODES,
  todayInAmsterdam,
  type ClientPortalResponse,
} from '@klantmonitor/shared/domain';
import { appendAudit, TenantDb } from '@klantmonitor/server/db';
import {
  hashToken,
  loadSchedule,
  portalRepository,
  responsesRepository,
  TOKEN_PATTERN,
} from '@klantmonitor/server/questionnaires';
import { RespondRateLimit } from './respond-rate-limit';

/** How long the page keeps working after the trajectory ended (docs/api.md). */
export const PORTAL_DAYS_AFTER_END = 30;
/** How long one portal link works after it was issued (#22; the migration's default says the same). */
export const PORTAL_LINK_DAYS = 90;

/**
 * "Mijn traject": a client's own progress behind /mijn/<token>, without an account. The token's
 * SHA-256 finds the trajectory (a definer lookup that returns its organisation); everything else
 * runs under that organisation's row-level security. It shows steps, the next step, the
 * spaartegoed and an open questionnaire; never contact data, the client reference or answers, so a
 * forwarded link reveals nothing but progress. Unknown tokens count towards the same per-address
 * limit as unknown questionnaire links; a valid one always opens. Every open is audited.
 *
 * Since #22 a link ends 90 days after it was issued (each invitation and reminder brings a new one)
 * and a counselor can revoke all of a trajectory's links; both answer 410. The page's link to the
 * open questionnaire is one per invitation, the same on every open: derived with a keyed hash from
 * the invitation (and the last revocation), so no open mints a new working link.
 */
@Injectable()
export class ClientPortalService {
  private readonly linkKey: Buffer;

  constructor(
    private readonly db: TenantDb,
    private readonly limit: RespondRateLimit,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    // A key of its own for these links, derived from the data key (the links are not a secret at rest).
    this.linkKey = createHmac('sha256', config.encryptionKey)
      .update('klantmonitor portal questionnaire links v1')
      .digest();
  }

  /** The page's questionnaire link for an invitation: the same every time, until links are revoked. */
  private questionnaireToken(invitationId: string, revokedAt: Date | null): string {
    return createHmac('sha256', this.linkKey)
      .update(`${invitationId}|${revokedAt?.toISOString() ?? ''}`)
      .digest('base64url');
  }

  /** Revokes every portal link of a trajectory (and the page's questionnaire links); audited. */
  async revoke(user: AuthUser, trajectoryId: string, requestId: string): Promise<{ revoked: number }> {
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const revoked = await portalRepository.revokeAll(em, trajectoryId);
      if (revoked === null) throw new NotFoundException('Trajectory not found');
      await appendAudit(em, {
        organisationId: user.organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'portal.revoke',
        entityType: 'trajectory',
        entityId: trajectoryId,
        requestId,
        details: { revoked },
      });
      return { revoked };
    });
  }

  async view(token: string, lang: 'nl' | 'en', ip: string, requestId: string): Promise<ClientPortalResponse> {
    const found = TOKEN_PATTERN.test(token)
      ? await portalRepository.byTokenHash(this.db.global, hashToken(token))
      : null;
    if (!found) {
      await this.limit.assertAllowed(ip);
      await this.limit.miss(ip);
      throw new NotFoundException('This link is not known');
    }
    if (found.revokedAt) throw new GoneException({ message: 'This link has been withdrawn', reason: 'revoked' });
    if (found.expiresAt.getTime() < Date.now())
      throw new GoneException({ message: 'This link has expired', reason: 'link_expired' });
    const today = todayInAmsterdam();
    return this.db.run({ organisationId: found.organisationId }, async (em) => {
      const t = await portalRepository.trajectory(em, found.trajectoryId);
      if (!t) throw new NotFoundException('This link is not known');
      if (t.ended_on && addDays(t.ended_on, PORTAL_DAYS_AFTER_END) < today)
        throw new GoneException({ message: 'This link has expired', reason: 'expired' });
      let openQuestionnaire: ClientPortalResponse['openQuestionnaire'] = null;
      const invitationId = t.status === 'open' ? await portalRepository.openInvitation(em, t.id, today) : null;
      if (invitationId) {
        // A link of the page's own (the messages' tokens are not kept readable), one per invitation.
        const token = this.questionnaireToken(invitationId, await portalRepository.lastRevocation(em, t.id));
        await portalRepository.addInvitationToken(em, invitationId, hashToken(token));
        openQuestionnaire = { url: `/v/${token}` };
      }
      const balanceCents = await responsesRepository.balanceCents(em, t.client_id);
      const schedule = await loadSchedule(em);
      const next = t.status === 'open' ? nextPortalStep(t.effective_steps) : null;
      await appendAudit(em, {
        organisationId: found.organisationId,
        actorUserId: null,
        actorRole: 'client',
        action: 'portal.open',
        entityType: 'client',
        entityId: t.client_id,
        requestId,
        details: { trajectoryId: t.id },
      });
      return {
        organisation: { name: t.organisation_name, phone: schedule.contactPhone, openingHours: schedule.openingHours },
        municipality: { code: t.municipality_code, name: t.municipality_name },
        status: t.status,
        steps: STEP_CODES.map((code) => ({
          code,
          label: PORTAL_STEP_TEXTS[code].label[lang],
          reachedOn: t.effective_steps[code] ?? null,
        })),
        nextStep: next
          ? { code: next, label: PORTAL_STEP_TEXTS[next].label[lang], explanation: PORTAL_STEP_TEXTS[next].next[lang] }
          : null,
        spaartegoed: { balance: balanceCents / 100, howPaid: schedule.payoutText },
        openQuestionnaire,
        language: lang,
      };
    });
  }
}
