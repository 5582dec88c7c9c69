import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser } from '@klantmonitor/api/core';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { appendAudit, TenantDb } from '@klantmonitor/server/db';
import {
  insertTemplateVersion,
  listTemplates,
  loadSchedule,
  loadTemplate,
  saveSchedule,
  templateExists,
} from '@klantmonitor/server/questionnaires';
import type { QuestionnaireScheduleView, QuestionnaireTemplateView } from '@klantmonitor/shared/domain';
import { Channel, validateSchedule } from '@klantmonitor/shared/questionnaires';
import type { CreateQuestionnaireTemplateDto } from './dto/questionnaire-template.dto';
import { UpdateScheduleDto } from './dto/schedule.dto';

const bad = (problems: { field: string; message: string }[]) =>
  new BadRequestException({ message: problems.map((p) => `${p.field} ${p.message}`).join('; '), details: problems });

/** An organisation's questionnaire schedule, and the platform's template versions. */
@Injectable()
export class ScheduleService {
  constructor(
    private readonly db: TenantDb,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async view(em: EntityManager): Promise<QuestionnaireScheduleView> {
    const s = await loadSchedule(em);
    const t = await loadTemplate(em, s.templateId);
    return {
      intervalWeeks: s.intervalWeeks,
      delayAfterStepDays: s.delayAfterStepDays,
      reminderAfterDays: s.reminderAfterDays,
      expiryDays: s.expiryDays,
      creditPerResponse: s.creditCents / 100,
      channels: s.channels,
      template: { id: t.id, code: t.code, version: t.version },
      customised: s.customised,
      smsAvailable: this.config.sms !== undefined,
      spaartegoedPayout: s.payoutText,
      contactPhone: s.contactPhone,
      openingHours: s.openingHours,
    };
  }

  get(user: AuthUser): Promise<QuestionnaireScheduleView> {
    return this.db.run({ organisationId: user.organisationId }, (em) => this.view(em));
  }

  update(user: AuthUser, dto: UpdateScheduleDto, requestId: string): Promise<QuestionnaireScheduleView> {
    const credit = dto.creditPerResponse;
    const creditCents = Math.round(credit * 100);
    const problems = validateSchedule({ ...dto, creditCents });
    if (Math.abs(credit * 100 - creditCents) > 1e-6)
      problems.push({ field: 'creditPerResponse', message: 'must be in whole cents' });
    // validateSchedule names the internal cents field; the API speaks euros.
    for (const p of problems) {
      if (p.field === 'creditCents') {
        p.field = 'creditPerResponse';
        p.message = 'must be from 0 to 100 euros';
      }
    }
    if (problems.length > 0) throw bad(problems);
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      if (dto.templateId) {
        if (!(await templateExists(em, dto.templateId)))
          throw bad([{ field: 'templateId', message: 'does not name a questionnaire template' }]);
      }
      const before = await loadSchedule(em);
      await saveSchedule(
        em,
        {
          intervalWeeks: dto.intervalWeeks,
          delayAfterStepDays: dto.delayAfterStepDays,
          reminderAfterDays: dto.reminderAfterDays,
          expiryDays: dto.expiryDays,
          creditCents,
          channels: dto.channels as Channel[],
          templateId: dto.templateId ?? null,
          payoutText: dto.spaartegoedPayout === undefined ? before.payoutText : dto.spaartegoedPayout || null,
          contactPhone: dto.contactPhone === undefined ? before.contactPhone : dto.contactPhone || null,
          openingHours: dto.openingHours === undefined ? before.openingHours : dto.openingHours || null,
        },
        user.id,
      );
      await appendAudit(em, {
        organisationId: user.organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'questionnaire_schedule.update',
        entityType: 'organisation',
        entityId: user.organisationId ?? undefined,
        requestId,
        details: { before: { ...before }, after: { ...dto } },
      });
      return this.view(em);
    });
  }

  templates(user: AuthUser): Promise<QuestionnaireTemplateView[]> {
    return this.db.run({ organisationId: user.organisationId, platformAdmin: user.role === 'platform_admin' }, (em) =>
      listTemplates(em),
    );
  }

  /** A new version of a template (the next number for its code); versions are never changed. */
  addTemplate(
    user: AuthUser,
    t: CreateQuestionnaireTemplateDto,
    requestId: string,
  ): Promise<QuestionnaireTemplateView> {
    return this.db.run({ organisationId: null, platformAdmin: true }, async (em) => {
      const id = await insertTemplateVersion(em, t, user.id);
      await appendAudit(em, {
        organisationId: null,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'questionnaire_template.create',
        entityType: 'questionnaire_template',
        entityId: id,
        requestId,
      });
      return loadTemplate(em, id);
    });
  }
}
