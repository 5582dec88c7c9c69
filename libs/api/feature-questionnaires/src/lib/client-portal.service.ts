import { GoneException, Injectable, NotFoundException } from '@nestjs/common';
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
  newToken,
  portalRepository,
  responsesRepository,
  TOKEN_PATTERN,
} from '@klantmonitor/server/questionnaires';
import { RespondRateLimit } from './respond-rate-limit';

/** How long the page keeps working after the trajectory ended (docs/api.md). */
export const PORTAL_DAYS_AFTER_END = 30;

/**
 * "Mijn traject": a client's own progress behind /mijn/<token>, without an account. The token's
 * SHA-256 finds the trajectory (a definer lookup that returns its organisation); everything else
 * runs under that organisation's row-level security. It shows steps, the next step, the
 * spaartegoed and an open questionnaire; never contact data, the client reference or answers, so a
 * forwarded link reveals nothing but progress. Unknown tokens count towards the same per-address
 * limit as unknown questionnaire links; a valid one always opens. Every open is audited.
 */
@Injectable()
export class ClientPortalService {
  constructor(
    private readonly db: TenantDb,
    private readonly limit: RespondRateLimit,
  ) {}

  async view(token: string, lang: 'nl' | 'en', ip: string, requestId: string): Promise<ClientPortalResponse> {
    const found = TOKEN_PATTERN.test(token)
      ? await portalRepository.byTokenHash(this.db.global, hashToken(token))
      : null;
    if (!found) {
      await this.limit.assertAllowed(ip);
      await this.limit.miss(ip);
      throw new NotFoundException('This link is not known');
    }
    const today = todayInAmsterdam();
    return this.db.run({ organisationId: found.organisationId }, async (em) => {
      const t = await portalRepository.trajectory(em, found.trajectoryId);
      if (!t) throw new NotFoundException('This link is not known');
      if (t.ended_on && addDays(t.ended_on, PORTAL_DAYS_AFTER_END) < today)
        throw new GoneException({ message: 'This link has expired', reason: 'expired' });
      let openQuestionnaire: ClientPortalResponse['openQuestionnaire'] = null;
      const invitationId = t.status === 'open' ? await portalRepository.openInvitation(em, t.id, today) : null;
      if (invitationId) {
        // A link of the page's own: the questionnaire tokens of the messages are not kept readable.
        const link = newToken();
        await portalRepository.addInvitationToken(em, invitationId, link.hash);
        openQuestionnaire = { url: `/v/${link.token}` };
      }
      const balanceCents = await responsesRepository.balanceCents(em, t.client_id);
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
        organisation: { name: t.organisation_name },
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
        spaartegoed: { balance: balanceCents / 100, howPaid: (await loadSchedule(em)).payoutText },
        openQuestionnaire,
        language: lang,
      };
    });
  }
}
