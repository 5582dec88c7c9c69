import type { RespondDto } from './dto/respond.dto';
import { todayInAmsterdam } from '@klantmonitor/shared/domain';
import { BadRequestException, GoneException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { SecretBox } from '@klantmonitor/server/crypto';
import { alertsRepository, appendAudit, TenantDb } from '@klantmonitor/server/db';
import {
  hashToken,
  loadSchedule,
  loadTemplate,
  StoredTemplate,
  TOKEN_PATTERN,
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
      const rows: { invitation_id: string; organisation_id: string }[] = await this.db.global.query(
        'SELECT invitation_id, organisation_id FROM km_invitation_by_token($1)',
        [hashToken(token)],
      );
      if (rows[0]) return { organisationId: rows[0].organisation_id, invitationId: rows[0].invitation_id };
    }
    await this.limit.assertAllowed(ip);
    await this.limit.miss(ip);
    throw new NotFoundException('This questionnaire link is not known');
  }

  /** 410 for an answered or expired invitation; the reason tells the page which text to show. */
  private assertOpen(inv: Record<string, unknown>, today: string): void {
    if (inv['completed_at'])
      throw new GoneException({ message: 'This questionnaire has already been answered', reason: 'completed' });
    if (inv['expired_at'] || (inv['expires_on'] && (inv['expires_on'] as string) < today)) {
      throw new GoneException({ message: 'This questionnaire link has expired', reason: 'expired' });
    }
  }

  private async load(em: EntityManager, invitationId: string, lock: boolean) {
    const [inv] = await em.query(
      `SELECT i.id, i.trajectory_id, i.template_id, i.credit_cents, i.expires_on, i.completed_at, i.expired_at,
              t.client_id, t.effective_steps, o.name AS organisation_name
       FROM invitations i JOIN trajectories t ON t.id = i.trajectory_id JOIN organisations o ON o.id = i.organisation_id
       WHERE i.id = $1 ${lock ? 'FOR UPDATE OF i' : ''}`,
      [invitationId],
    );
    return inv as Record<string, unknown> | undefined;
  }

  private async balance(em: EntityManager, clientId: string): Promise<number> {
    const [r] = await em.query(
      'SELECT COALESCE(SUM(amount_cents), 0)::int AS cents FROM spaartegoed_entries WHERE client_id = $1',
      [clientId],
    );
    return Number(r.cents);
  }

  async view(token: string, lang: Lang, ip: string, requestId: string): Promise<RespondQuestionnaireResponse> {
    const found = await this.find(token, ip);
    const today = todayInAmsterdam();
    return this.db.run({ organisationId: found.organisationId }, async (em) => {
      const inv = await this.load(em, found.invitationId, false);
      if (!inv) throw new NotFoundException('This questionnaire link is not known');
      this.assertOpen(inv, today);
      const template = await loadTemplate(em, inv['template_id'] as string);
      const balance = await this.balance(em, inv['client_id'] as string);
      await appendAudit(em, {
        organisationId: found.organisationId,
        actorUserId: null,
        actorRole: 'client',
        action: 'questionnaire.open',
        entityType: 'client',
        entityId: inv['client_id'] as string,
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
        organisation: { name: inv['organisation_name'] as string },
        spaartegoed: {
          perResponse: euros(Number(inv['credit_cents'])),
          balance: euros(balance),
          payout: (await loadSchedule(em)).payoutText,
        },
        expiresAt: inv['expires_on'] as string,
        language: lang,
      };
    });
  }

  async answer(token: string, body: RespondDto, ip: string, requestId: string): Promise<RespondResult> {
    const found = await this.find(token, ip);
    const today = todayInAmsterdam();
    return this.db.run({ organisationId: found.organisationId }, async (em) => {
      // The row lock makes a double submit wait here, then see the first one's answer: 410, no second credit.
      const inv = await this.load(em, found.invitationId, true);
      if (!inv) throw new NotFoundException('This questionnaire link is not known');
      this.assertOpen(inv, today);
      const template = await loadTemplate(em, inv['template_id'] as string);
      const { answers, comment } = this.checkBody(template, body);
      const phase = phaseOn(inv['effective_steps'] as EffectiveSteps, today);
      await em.query(
        `INSERT INTO responses (organisation_id, invitation_id, trajectory_id, template_id, answers, comment_enc, phase, responded_on)
         VALUES (km_current_organisation_id(), $1, $2, $3, $4, $5, $6, $7)`,
        [
          found.invitationId,
          inv['trajectory_id'],
          template.id,
          JSON.stringify(answers),
          comment ? this.box.seal(comment) : null,
          phase,
          today,
        ],
      );
      await em.query('UPDATE invitations SET completed_at = now() WHERE id = $1', [found.invitationId]);
      const credited: { amount_cents: number }[] = await em.query(
        `INSERT INTO spaartegoed_entries (organisation_id, client_id, invitation_id, amount_cents, booked_on)
         VALUES (km_current_organisation_id(), $1, $2, $3, $4)
         ON CONFLICT (invitation_id) DO NOTHING RETURNING amount_cents`,
        [inv['client_id'], found.invitationId, inv['credit_cents'], today],
      );
      const signals = responseSignals(answers);
      if (signals.length > 0) {
        await alertsRepository.raise(em, inv['trajectory_id'] as string, 'low_experience', today, {
          invitationId: found.invitationId,
          signals,
        });
      }
      // Answering again ends the "two unanswered in a row" flag.
      await alertsRepository.resolve(em, inv['trajectory_id'] as string, ['unanswered']);
      await appendAudit(em, {
        organisationId: found.organisationId,
        actorUserId: null,
        actorRole: 'client',
        action: 'questionnaire.respond',
        entityType: 'client',
        entityId: inv['client_id'] as string,
        requestId,
        details: { invitationId: found.invitationId, phase, signals },
      });
      const balance = await this.balance(em, inv['client_id'] as string);
      return {
        spaartegoed: {
          credited: euros(credited[0]?.amount_cents ?? 0),
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
