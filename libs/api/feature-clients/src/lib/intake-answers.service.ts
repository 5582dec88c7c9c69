import { Injectable, NotFoundException } from '@nestjs/common';
import { AuthUser, fieldError } from '@klantmonitor/api/core';
import { appendAudit, TenantDb } from '@klantmonitor/server/db';
import {
  assignByActiveModel,
  latestIntakeAnswers,
  modelTypeOn,
  saveFormIntakeAnswers,
} from '@klantmonitor/server/segmentation';
import { DEFAULT_INTAKE_ITEM_CODES } from '@klantmonitor/shared/domain';
import { isIsoDate, todayInAmsterdam } from '@klantmonitor/shared/metrics';
import { SaveIntakeAnswersDto } from './dto/intake-answers.dto';

const ITEM_CODES = new Set<string>(DEFAULT_INTAKE_ITEM_CODES);

/** Answers as stored: known item codes only, whole numbers 1..5, null / absent left out. */
export function parseIntakeAnswers(
  answers: Record<string, unknown>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [code, value] of Object.entries(answers)) {
    if (!ITEM_CODES.has(code))
      throw fieldError(
        `answers.${code}`,
        'is not an item of the intake instrument',
      );
    if (value === null || value === undefined) continue;
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < 1 ||
      value > 5
    )
      throw fieldError(
        `answers.${code}`,
        'must be a whole number from 1 to 5, or null',
      );
    out[code] = value;
  }
  if (Object.keys(out).length === 0)
    throw fieldError('answers', 'must hold at least one answer');
  return out;
}

/** The intake form on the client page (dashboard.md "Segmentation screens"; product.md). */
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

  save(
    user: AuthUser,
    clientId: string,
    dto: SaveIntakeAnswersDto,
    requestId: string,
  ) {
    const today = todayInAmsterdam();
    const day = dto.answeredOn ?? today;
    if (!isIsoDate(day))
      throw fieldError('answeredOn', 'must be a real date like 2026-11-30');
    if (day > today)
      throw fieldError('answeredOn', 'must not be in the future');
    if (day < '2000-01-01')
      throw fieldError('answeredOn', 'must be 2000-01-01 or later');
    const answers = parseIntakeAnswers(dto.answers);
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
