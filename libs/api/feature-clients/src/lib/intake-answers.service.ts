import { isIsoDate, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { Injectable, NotFoundException } from '@nestjs/common';
import { AuthUser, fieldError } from '@klantmonitor/api/core';
import { appendAudit, TenantDb } from '@klantmonitor/server/db';
import {
  assignByActiveModel,
  latestIntakeAnswers,
  modelTypeOn,
  saveFormIntakeAnswers,
} from '@klantmonitor/server/segmentation';
import { IntakeAnswersDto, SaveIntakeAnswersDto } from './dto/intake-answers.dto';

/** The answers given (the DTO validated them): skipped ones (null, absent) left out. */
function givenAnswers(answers: IntakeAnswersDto): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [code, value] of Object.entries(answers)) if (typeof value === 'number') out[code] = value;
  return out;
}

/** The intake form on the client page (docs/analytics.md "Segmentation screens"; docs/product.md). */
@Injectable()
export class IntakeAnswersService {
  constructor(private readonly db: TenantDb) {}

  latest(user: AuthUser, clientId: string, requestId: string) {
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const latest = await latestIntakeAnswers(em, clientId);
      if (latest === undefined) throw new NotFoundException('Client not found');
      await appendAudit(em, {
        organisationId: user.organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'intake.read',
        entityType: 'client',
        entityId: clientId,
        requestId,
      });
      return { latest };
    });
  }

  save(user: AuthUser, clientId: string, dto: SaveIntakeAnswersDto, requestId: string) {
    const today = todayInAmsterdam();
    const day = dto.answeredOn ?? today;
    if (!isIsoDate(day)) throw fieldError('answeredOn', 'must be a real date like 2026-11-30');
    if (day > today) throw fieldError('answeredOn', 'must not be in the future');
    if (day < '2000-01-01') throw fieldError('answeredOn', 'must be 2000-01-01 or later');
    const answers = givenAnswers(dto.answers);
    if (Object.keys(answers).length === 0) throw fieldError('answers', 'must hold at least one answer');
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const saved = await saveFormIntakeAnswers(em, clientId, day, answers);
      if (!saved) throw new NotFoundException('Client not found');
      // With an active segmentation model the answers get the nearest segment's client type.
      await assignByActiveModel(em, [{ clientId, day, answers }]);
      const clientType = await modelTypeOn(em, clientId, day);
      await appendAudit(em, {
        organisationId: user.organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'intake.form',
        entityType: 'client',
        entityId: clientId,
        requestId,
        details: {
          answeredOn: day,
          answered: Object.keys(answers).length,
          created: saved.created,
        },
      });
      return {
        answeredOn: day,
        answered: Object.keys(answers).length,
        created: saved.created,
        clientType,
      };
    });
  }
}
