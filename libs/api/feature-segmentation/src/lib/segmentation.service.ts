import {
  HttpException,
  HttpStatus,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { DEFAULT_INTAKE_ITEM_CODES } from '@klantmonitor/shared/domain';
import { AuthUser, fieldError } from '@klantmonitor/api/core';
import { appendAudit, TenantDb } from '@klantmonitor/server/db';
import { CreateRunDto, K_MAX } from './segmentation.dto';
import { RunRow, SegmentationRepository } from './segmentation.repository';

/** Fewer clients with answers than this and a segmentation says nothing: 422. */
export const MIN_CLIENTS = 10;

/** Segmentation runs of the caller's organisation (api-v1.md "Segmentation"). */
@Injectable()
export class SegmentationService {
  constructor(
    private readonly db: TenantDb,
    private readonly repo: SegmentationRepository,
  ) {}

  create(
    user: AuthUser,
    dto: CreateRunDto,
    requestId: string,
  ): Promise<{ id: string }> {
    const params = {
      kMin: dto.kMin ?? 2,
      kMax: dto.kMax ?? K_MAX,
      restarts: dto.restarts ?? 10,
      seed: dto.seed ?? 42,
      items: dto.items ?? [...DEFAULT_INTAKE_ITEM_CODES],
      answeredFrom: dto.answeredFrom ?? null,
      answeredTo: dto.answeredTo ?? null,
    };
    if (params.kMin > params.kMax)
      throw fieldError('kMin', `must not be above kMax (${params.kMax})`);
    if (
      params.answeredFrom &&
      params.answeredTo &&
      params.answeredFrom > params.answeredTo
    )
      throw fieldError('answeredFrom', 'must not be after answeredTo');
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const n = await this.repo.clientsWithAnswers(
        em,
        params.answeredFrom,
        params.answeredTo,
      );
      if (n < MIN_CLIENTS)
        throw new HttpException(
          {
            message: `Too few clients with intake answers in this period: ${n}. A segmentation needs at least ${MIN_CLIENTS}.`,
            code: 'too_few_clients',
            details: [
              {
                field: 'answeredFrom',
                message: `${n} clients with intake answers, at least ${MIN_CLIENTS} needed`,
              },
            ],
          },
          HttpStatus.UNPROCESSABLE_ENTITY,
        );
      if (params.kMax > n)
        throw fieldError(
          'kMax',
          `must not be above the number of clients with intake answers (${n})`,
        );
      const id = await this.repo.create(em, params, user.id);
      await appendAudit(em, {
        organisationId: user.organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'segmentation.run',
        entityType: 'segmentation_run',
        entityId: id,
        requestId,
        details: params,
      });
      return { id };
    });
  }

  list(user: AuthUser) {
    return this.db.run({ organisationId: user.organisationId }, async (em) =>
      (await this.repo.list(em)).map(toRun),
    );
  }

  get(user: AuthUser, id: string) {
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const run = await this.repo.get(em, id);
      if (!run) throw new NotFoundException('No such segmentation run');
      return { ...toRun(run), scenarios: run.scenarios ?? [] };
    });
  }

  async assignments(user: AuthUser, id: string, k: number) {
    return (await this.scenario(user, id, k)).assignments;
  }

  async profile(user: AuthUser, id: string, k: number) {
    const s = await this.scenario(user, id, k);
    return { sizes: s.sizes, rows: s.profile };
  }

  cancel(user: AuthUser, id: string, requestId: string) {
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const state = await this.repo.cancel(em, id);
      if (state === null)
        throw new NotFoundException('No such segmentation run');
      await appendAudit(em, {
        organisationId: user.organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'segmentation.cancel',
        entityType: 'segmentation_run',
        entityId: id,
        requestId,
      });
      return { id, state };
    });
  }

  private scenario(user: AuthUser, id: string, k: number) {
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const s = await this.repo.scenario(em, id, k);
      if (!s)
        throw new NotFoundException(
          'No such completed run, or no scenario with this k in it',
        );
      return s;
    });
  }
}

function toRun(r: RunRow) {
  return {
    id: r.id,
    state: r.state,
    progress: r.progress,
    params: r.params,
    n: r.n,
    excluded: r.excluded,
    items: r.items,
    droppedItems: r.dropped_items,
    error: r.error,
    createdAt: new Date(r.created_at).toISOString(),
    finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
  };
}
