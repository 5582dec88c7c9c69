import { ConflictException, HttpException, HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { DEFAULT_INTAKE_ITEM_CODES, DEFAULT_MIN_CELL, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { AuthUser, fieldError } from '@klantmonitor/api/core';
import { appendAudit, TenantDb } from '@klantmonitor/server/db';
import { saveModel, writeModelAssessments } from '@klantmonitor/server/segmentation';
import {
  attainmentCell,
  dropout,
  dropoutCell,
  prepareTrajectory,
  stepAttainment,
  timeCell,
  timeToStep,
  type AttainmentCell,
  type DropoutCell,
  type Grouping,
  type PreparedTrajectory,
  type ProfileRow,
  type RecordedSteps,
} from '@klantmonitor/shared/metrics';
import type { EntityManager } from 'typeorm';
import { ActivateDto, CreateRunDto, K_MAX, OutcomesQueryDto, TransitionsQueryDto } from './segmentation.dto';
import {
  clientTypeCodes,
  organisationMinCell,
  RunRow,
  scenarioModel,
  SegmentationRepository,
  rowsFingerprint,
  segmentTrajectories,
  segmentsWithAnswerDays,
  transitionCounts,
  upsertClientTypes,
} from './segmentation.repository';
import { ResultCache } from './result-cache';

export interface OutcomesAnswer {
  query: { step: string; withinDays: number; asOf: string };
  rows: {
    segment: number;
    eligible: number | null;
    reached: number | null;
    share: number | null;
    ciLow: number | null;
    ciHigh: number | null;
    dropped: number | null;
    dropoutShare: number | null;
    /** Wilson 95% interval of the dropout share. */
    dropoutCiLow: number | null;
    dropoutCiHigh: number | null;
    medianDays: number | null;
    /** 95% interval of the median (docs/metrics.md); null high: beyond the followed period. */
    medianCiLow: number | null;
    medianCiHigh: number | null;
    /** For a policy advisor: a segment under the organisation's minCell shows no figures (#24). */
    suppressed?: boolean;
  }[];
}

export interface TransitionsAnswer {
  types: string[];
  names: string[];
  counts: number[][];
  shares: number[][];
}

/** The segments a caller may not see figures of: for a policy advisor, those under the organisation's minCell. */
async function smallSegments(em: EntityManager, user: AuthUser, sizes: readonly number[]): Promise<Set<number>> {
  if (user.role !== 'policy_advisor') return new Set();
  return smallest(sizes, (await organisationMinCell(em)) ?? DEFAULT_MIN_CELL);
}

/**
 * Parts under minCell, and where exactly one is, the smallest other part too (ties: the first): the
 * parts add up to the run, so one hidden part alone could be worked out from the others.
 */
export function smallest(counts: readonly number[], minCell: number): Set<number> {
  const small = new Set(counts.flatMap((n, i) => (n < minCell ? [i] : [])));
  if (small.size === 1 && counts.length > 1) {
    let pick = -1;
    counts.forEach((n, i) => {
      if (!small.has(i) && (pick < 0 || n < counts[pick])) pick = i;
    });
    small.add(pick);
  }
  return small;
}

/**
 * Outcomes as this caller may see them: for a policy advisor, a segment under the organisation's
 * minCell, or whose eligible clients are, shows no figures (`suppressed`); the admin sees all.
 */
async function forCaller(em: EntityManager, user: AuthUser, answer: OutcomesAnswer): Promise<OutcomesAnswer> {
  if (user.role !== 'policy_advisor') return answer;
  const hidden = smallest(
    answer.rows.map((r) => r.eligible ?? 0),
    (await organisationMinCell(em)) ?? DEFAULT_MIN_CELL,
  );
  return {
    ...answer,
    rows: answer.rows.map((r, i) =>
      hidden.has(i)
        ? {
            segment: r.segment,
            eligible: null,
            reached: null,
            share: null,
            ciLow: null,
            ciHigh: null,
            dropped: null,
            dropoutShare: null,
            dropoutCiLow: null,
            dropoutCiHigh: null,
            medianDays: null,
            medianCiLow: null,
            medianCiHigh: null,
            suppressed: true,
          }
        : { ...r, suppressed: false },
    ),
  };
}

/** A client type's code from the name people gave it: `Zelfstandige ouder` -> `zelfstandige_ouder`. */
export function typeCode(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
}

/** Fewer clients with answers than this and a segmentation says nothing: 422. */
export const MIN_CLIENTS = 10;

/** Segmentation runs of the caller's organisation (docs/api.md "Segmentation"). */
@Injectable()
export class SegmentationService {
  /** Answers computed from every client: reused while the rows they came from are unchanged. */
  private readonly outcomesCache = new ResultCache<OutcomesAnswer>();
  private readonly transitionsCache = new ResultCache<TransitionsAnswer>();

  constructor(
    private readonly db: TenantDb,
    private readonly repo: SegmentationRepository,
  ) {}

  create(user: AuthUser, dto: CreateRunDto, requestId: string): Promise<{ id: string }> {
    const params = {
      kMin: dto.kMin ?? 2,
      kMax: dto.kMax ?? K_MAX,
      restarts: dto.restarts ?? 10,
      seed: dto.seed ?? 42,
      items: dto.items ?? [...DEFAULT_INTAKE_ITEM_CODES],
      answeredFrom: dto.answeredFrom ?? null,
      answeredTo: dto.answeredTo ?? null,
    };
    if (params.kMin > params.kMax) throw fieldError('kMin', `must not be above kMax (${params.kMax})`);
    if (params.answeredFrom && params.answeredTo && params.answeredFrom > params.answeredTo)
      throw fieldError('answeredFrom', 'must not be after answeredTo');
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const n = await this.repo.clientsWithAnswers(em, params.answeredFrom, params.answeredTo);
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
        throw fieldError('kMax', `must not be above the number of clients with intake answers (${n})`);
      // One queued or running run per organisation (#22): the worker is shared by all of them.
      const active = await this.repo.active(em);
      if (active) throw runInProgress(active);
      const id = await this.repo.create(em, params, user.id).catch((e: unknown) => {
        // Two starts at the same moment: the unique index lets one through (this transaction is
        // aborted, so the other run cannot be read here: the message names none).
        if ((e as { driverError?: { constraint?: string } }).driverError?.constraint === 'uq_segmentation_runs_active')
          throw runInProgress(null);
        throw e;
      });
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
    return this.db.run({ organisationId: user.organisationId }, async (em) => (await this.repo.list(em)).map(toRun));
  }

  get(user: AuthUser, id: string) {
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const run = await this.repo.get(em, id);
      if (!run) throw new NotFoundException('No such segmentation run');
      return {
        ...toRun(run),
        scenarios: run.scenarios ?? [],
        // The names and descriptions in use when this run's scenario `activeK` is the model.
        activeTypes: run.active_types ?? null,
      };
    });
  }

  assignments(user: AuthUser, id: string, k: number) {
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const rows = await this.repo.assignments(em, id, k);
      if (!rows) throw new NotFoundException('No such completed run, or no scenario with this k in it');
      return rows;
    });
  }

  /**
   * Segment profile. A policy advisor reads it too (#24), but, as with every figure of a few clients
   * (docs/metrics.md "Grouping, suppression"), not the figures of a segment under the organisation's
   * minCell: those cells are null and the segment listed in `suppressedSegments`. The admin, who
   * sees each client's segment anyway, gets every figure.
   */
  async profile(user: AuthUser, id: string, k: number) {
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const s = await this.repo.scenario(em, id, k);
      if (!s) throw new NotFoundException('No such completed run, or no scenario with this k in it');
      const small = await smallSegments(em, user, s.sizes);
      return {
        sizes: s.sizes,
        rows: (s.profile as ProfileRow[]).map((r) =>
          small.has(r.segment) ? { ...r, mean: null, agreeShare: null, z: null, flag: null } : r,
        ),
        suppressedSegments: [...small],
      };
    });
  }

  cancel(user: AuthUser, id: string, requestId: string) {
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const state = await this.repo.cancel(em, id);
      if (state === null) throw new NotFoundException('No such segmentation run');
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

  /**
   * Makes scenario k of a completed run the organisation's model: a client type per segment (by the
   * names given), an assessment for every client of the run on the day of its answers, and from now
   * on one for every new set of intake answers (nearest centroid). Audited.
   */
  activate(user: AuthUser, id: string, k: number, dto: ActivateDto, requestId: string) {
    if (dto.names.length !== k) throw fieldError('names', `must hold ${k} names, one per segment`);
    if (dto.descriptions && dto.descriptions.length !== k)
      throw fieldError('descriptions', `must hold ${k} descriptions, one per segment`);
    const names = dto.names.map((n) => n.trim());
    const codes = names.map(typeCode);
    if (codes.some((c) => c === '')) throw fieldError('names', 'each must hold letters or digits');
    if (new Set(codes).size !== codes.length) throw fieldError('names', 'must differ in their letters and digits');
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const m = await scenarioModel(em, id, k);
      if (!m) throw new NotFoundException('No such completed run, or no scenario with this k in it');
      const typeIds = await upsertClientTypes(
        em,
        names.map((name, i) => ({
          code: codes[i],
          name,
          description: dto.descriptions?.[i]?.trim() || null,
        })),
      );
      await saveModel(
        em,
        {
          runId: id,
          k,
          items: m.items,
          means: m.means,
          sds: m.sds,
          centroids: m.centroids,
          clientTypeIds: typeIds,
        },
        user.id,
      );
      const assigned = await writeModelAssessments(
        em,
        (await segmentsWithAnswerDays(em, id, m)).map((c) => ({
          clientId: c.clientId,
          day: c.day,
          clientTypeId: typeIds[c.segment],
        })),
      );
      await appendAudit(em, {
        organisationId: user.organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'segmentation.activate',
        entityType: 'segmentation_run',
        entityId: id,
        requestId,
        details: { k, codes, assigned },
      });
      return {
        runId: id,
        k,
        clientTypes: codes.map((code, segment) => ({
          segment,
          code,
          name: names[segment],
        })),
        assigned,
      };
    });
  }

  /**
   * Outcomes per segment over the run's clients (docs/api.md): step attainment within `withinDays`,
   * dropout and median time to the step, with docs/metrics.md's definitions and the segment standing in
   * for the client type. The organisation's own clients only (its admin asks), so no suppression.
   */
  outcomes(user: AuthUser, id: string, k: number, q: OutcomesQueryDto) {
    const asOf = q.asOf ?? todayInAmsterdam();
    const withinDays = q.withinDays ?? 90;
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const key = `${user.organisationId}/${id}/${k}/${q.step}/${withinDays}/${asOf}`;
      const fingerprint = await rowsFingerprint(em, 'trajectories');
      const cached = this.outcomesCache.get(key, fingerprint);
      if (cached) return forCaller(em, user, cached);
      const m = await scenarioModel(em, id, k);
      if (!m) throw new NotFoundException('No such completed run, or no scenario with this k in it');
      const prepared: PreparedTrajectory[] = [];
      for (const t of await segmentTrajectories(em, id, m.index)) {
        const p = prepareTrajectory(
          {
            municipality: t.municipality,
            firstContact: t.firstContact,
            steps: t.steps as RecordedSteps,
            dropoutOn: t.dropoutOn,
          },
          asOf,
        );
        if (p)
          prepared.push({
            ...p,
            clientType: String(t.segment),
          });
      }
      const g: Grouping = { groupBy: ['clientType'], periodUnit: 'month' };
      const attained = stepAttainment(
        prepared.map((t) => attainmentCell(t, q.step, withinDays, asOf)).filter((c): c is AttainmentCell => c !== null),
        g,
      ).rows;
      const dropped = dropout(
        prepared.map((t) => dropoutCell(t, asOf)).filter((c): c is DropoutCell => c !== null),
        g,
      ).rows;
      const times = timeToStep(
        prepared.map((t) => timeCell(t, q.step, asOf)),
        g,
        [withinDays],
      ).rows;
      const of = <R extends { clientType?: string }>(rows: R[], s: number) =>
        rows.find((r) => r.clientType === String(s));
      const answer: OutcomesAnswer = {
        query: { step: q.step, withinDays, asOf },
        rows: Array.from({ length: k }, (_, segment) => {
          const a = of(attained, segment);
          const d = of(dropped, segment);
          const t = of(times, segment);
          return {
            segment,
            eligible: a?.eligible ?? 0,
            reached: a?.reached ?? 0,
            share: a?.share ?? null,
            ciLow: a?.ciLow ?? null,
            ciHigh: a?.ciHigh ?? null,
            dropped: d?.dropped ?? 0,
            dropoutShare: d?.share ?? null,
            dropoutCiLow: d?.ciLow ?? null,
            dropoutCiHigh: d?.ciHigh ?? null,
            medianDays: t?.medianDays ?? null,
            medianCiLow: t?.medianCiLow ?? null,
            medianCiHigh: t?.medianCiHigh ?? null,
          };
        }),
      };
      this.outcomesCache.set(key, fingerprint, answer);
      return forCaller(em, user, answer);
    });
  }

  /** Type at `from` against type at `to` for clients assessed on or before both (docs/metrics.md). */
  transitions(user: AuthUser, q: TransitionsQueryDto) {
    if (q.from > q.to) throw fieldError('from', 'must not be after to');
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const key = `${user.organisationId}/${q.from}/${q.to}`;
      const fingerprint = await rowsFingerprint(em, 'assessments');
      const cached = this.transitionsCache.get(key, fingerprint);
      if (cached) return cached;
      const counts = await transitionCounts(em, q.from, q.to);
      const used = new Set(counts.flatMap((c) => [c.from_id, c.to_id]));
      const types = (await clientTypeCodes(em)).filter((t) => used.has(t.id));
      const index = new Map(types.map((t, i) => [t.id, i]));
      const matrix = types.map(() => types.map(() => 0));
      for (const c of counts) matrix[index.get(c.from_id) as number][index.get(c.to_id) as number] += c.n;
      const answer: TransitionsAnswer = {
        types: types.map((t) => t.code),
        names: types.map((t) => t.name),
        counts: matrix,
        shares: matrix.map((row) => {
          const sum = row.reduce((a, b) => a + b, 0);
          return row.map((v) => (sum ? v / sum : 0));
        }),
      };
      this.transitionsCache.set(key, fingerprint, answer);
      return answer;
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
    activeK: r.active_k,
  };
}

/** 409 naming the run that is still waiting or running. */
function runInProgress(run: { id: string; state: string } | null): ConflictException {
  return new ConflictException({
    message: run
      ? `Run ${run.id} of your organisation is still ${run.state === 'running' ? 'running' : 'waiting'}; start a new one when it has finished (or cancel it)`
      : 'Another run of your organisation has just started; start a new one when it has finished',
    code: 'run_in_progress',
    ...(run ? { runId: run.id } : {}),
  });
}
