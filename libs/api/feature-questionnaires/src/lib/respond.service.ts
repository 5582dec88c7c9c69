import type { RespondDto } from './dto/respond.dto';
import { todayInAmsterdam } from '@klantmonitor/shared/domain';
import { BadRequestException, GoneException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { SecretBox } from '@klantmonitor/server/crypto';
import { alertsRepository, appendAudit, TenantDb } from '@klantmonitor/server/db';
import {
  hashToken,
  loadSchedule,
  loadTemplate,
  newToken,
  portalRepository,
  responsesRepository,
  StoredTemplate,
  TOKEN_PATTERN,
  type InvitationForClient,
} from '@klantmonitor/server/questionnaires';
import type { RespondQuestionnaireResponse, RespondResult } from '@klantmonitor/shared/domain';
import { EffectiveSteps, phaseOn } from '@klantmonitor/shared/metrics';
import { responseSignals, validateAnswers } from '@klantmonitor/shared/questionnaires';
import { RespondRateLimit } from './respond-rate-limit';

type Lang = 'nl' | 'en';

interface Found {
  organisationId: string;
  invitationId: string;
}

const euros = (cents: number) => Math.round(cents) / 100;

/**
 * The client's side of an invitation, without an account. The token is the only key: its SHA-256
 * finds the invitation (a SECURITY DEFINER lookup that returns the organisation), after which
 * everything runs under that organisation's row-level security. Every open and answer is audited.
 */
@Injectable()
export class RespondService {
  private readonly box: SecretBox;

  constructor(
    private readonly db: TenantDb,
    private readonly limit: RespondRateLimit,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.box = new SecretBox(config.encryptionKey);
  }

  /**
   * A valid link always opens; only unknown ones are counted and, past the limit, refused. On a
   * mobile network or a library's wifi many clients share one address: one guesser there must not
   * lock the others out of their own links (#14, defect b). Guessing gains nothing from this: a
   * guess is an unknown token, and those stay limited.
   */
  private async find(token: string, ip: string): Promise<Found> {
    if (TOKEN_PATTERN.test(token)) {
      const found = await responsesRepository.byTokenHash(this.db.global, hashToken(token));
      if (found) return found;
    }
    await this.limit.assertAllowed(ip);
    await this.limit.miss(ip);
    throw new NotFoundException('This questionnaire link is not known');
  }

  /** 410 for an answered or expired invitation; the reason tells the page which text to show. */
  private assertOpen(inv: InvitationForClient, today: string): void {
    if (inv.completed_at)
      throw new GoneException({ message: 'This questionnaire has already been answered', reason: 'completed' });
    if (inv.expired_at || (inv.expires_on && inv.expires_on < today)) {
      throw new GoneException({ message: 'This questionnaire link has expired', reason: 'expired' });
    }
  }

  async view(token: string, lang: Lang, ip: string, requestId: string): Promise<RespondQuestionnaireResponse> {
    const found = await this.find(token, ip);
    const today = todayInAmsterdam();
    return this.db.run({ organisationId: found.organisationId }, async (em) => {
      const inv = await responsesRepository.invitation(em, found.invitationId, false);
      if (!inv) throw new NotFoundException('This questionnaire link is not known');
      this.assertOpen(inv, today);
      const template = await loadTemplate(em, inv.template_id);
      const balance = await responsesRepository.balanceCents(em, inv.client_id);
      await appendAudit(em, {
        organisationId: found.organisationId,
        actorUserId: null,
        actorRole: 'client',
        action: 'questionnaire.open',
        entityType: 'client',
        entityId: inv.client_id,
        requestId,
        details: { invitationId: found.invitationId },
      });
      return {
        questionnaire: {
          title: template.title[lang],
          version: template.version,
          commentMaxLength: template.commentMaxLength,
          items: template.items.map((i) => ({
            code: i.code,
            text: i.text[lang],
            required: i.required,
            scale: { min: i.scale.min, max: i.scale.max, low: i.scale.low[lang], high: i.scale.high[lang] },
          })),
        },
        organisation: { name: inv.organisation_name },
        spaartegoed: {
          perResponse: euros(Number(inv.credit_cents)),
          balance: euros(balance),
          payout: (await loadSchedule(em)).payoutText,
        },
        expiresAt: inv.expires_on as string,
        language: lang,
      };
    });
  }

  async answer(token: string, body: RespondDto, ip: string, requestId: string): Promise<RespondResult> {
    const found = await this.find(token, ip);
    const today = todayInAmsterdam();
    return this.db.run({ organisationId: found.organisationId }, async (em) => {
      // The row lock makes a double submit wait here, then see the first one's answer: 410, no second credit.
      const inv = await responsesRepository.invitation(em, found.invitationId, true);
      if (!inv) throw new NotFoundException('This questionnaire link is not known');
      this.assertOpen(inv, today);
      const template = await loadTemplate(em, inv.template_id);
      const { answers, comment } = this.checkBody(template, body);
      const phase = phaseOn(inv.effective_steps as EffectiveSteps, today);
      const credited = await responsesRepository.answer(em, {
        invitation: inv,
        templateId: template.id,
        answers,
        commentSealed: comment ? this.box.seal(comment) : null,
        phase,
        day: today,
      });
      const signals = responseSignals(answers);
      if (signals.length > 0) {
        await alertsRepository.raise(em, inv.trajectory_id, 'low_experience', today, {
          invitationId: found.invitationId,
          signals,
        });
      }
      // Answering again ends the "two unanswered in a row" flag.
      await alertsRepository.resolve(em, inv.trajectory_id, ['unanswered']);
      await appendAudit(em, {
        organisationId: found.organisationId,
        actorUserId: null,
        actorRole: 'client',
        action: 'questionnaire.respond',
        entityType: 'client',
        entityId: inv.client_id,
        requestId,
        details: { invitationId: found.invitationId, phase, signals },
      });
      const balance = await responsesRepository.balanceCents(em, inv.client_id);
      // The thank-you screen links to the client's own page with a token of its own.
      const portal = newToken();
      await portalRepository.addToken(em, inv.trajectory_id, portal.hash);
      return {
        portalUrl: `/mijn/${portal.token}`,
        spaartegoed: {
          credited: euros(credited),
          balance: euros(balance),
          payout: (await loadSchedule(em)).payoutText,
        },
      };
    });
  }

  /** The answers against the link's template version (the form was checked by RespondDto). */
  private checkBody(
    template: StoredTemplate,
    b: RespondDto,
  ): { answers: Record<string, number>; comment: string | null } {
    const problems = validateAnswers(template, b.answers, b.comment);
    if (problems.length > 0) {
      throw new BadRequestException({
        message: problems.map((p) => `${p.field} ${p.message}`).join('; '),
        details: problems,
      });
    }
    const given = b.answers;
    const answers = Object.fromEntries(
      template.items.filter((i) => typeof given[i.code] === 'number').map((i) => [i.code, given[i.code] as number]),
    );
    const comment = typeof b.comment === 'string' && b.comment.trim() !== '' ? b.comment.trim() : null;
    return { answers, comment };
  }
}
