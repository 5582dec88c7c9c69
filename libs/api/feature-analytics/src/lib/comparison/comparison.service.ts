import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AuthUser, fieldError } from '@klantmonitor/api/core';
import { appendAudit, TenantDb } from '@klantmonitor/server/db';
import { BENCHMARK_FILTER_NAMES, parseBenchmarkFilters } from '@klantmonitor/shared/domain';
import { comparisonRepository, type ComparisonGroupRow, type SavedViewRow } from './comparison-groups.repository';
import type { ComparisonGroupDto, SavedViewDto } from './comparison.dto';

export interface ComparisonGroup {
  id: string;
  name: string;
  municipalities: string[];
  /** A platform group (everyone sees it) or the caller's organisation's own. */
  scope: 'platform' | 'organisation';
  updatedAt: string;
}

export interface SavedView {
  id: string;
  name: string;
  query: string;
  createdAt: string;
}

const toGroup = (r: ComparisonGroupRow): ComparisonGroup => ({
  id: r.id,
  name: r.name,
  municipalities: r.municipalities,
  scope: r.organisation_id === null ? 'platform' : 'organisation',
  updatedAt: new Date(r.updated_at).toISOString(),
});
const toView = (r: SavedViewRow): SavedView => ({
  id: r.id,
  name: r.name,
  query: r.query,
  createdAt: new Date(r.created_at).toISOString(),
});

const uniqueViolation = (e: unknown) =>
  e instanceof QueryFailedError && (e.driverError as { code?: string })?.code === '23505';

/** Saved views are per person: at most this many each. */
export const MAX_SAVED_VIEWS = 50;
/** The page's own parameters besides its filters. */
const VIEW_PARAMS = new Set<string>([...BENCHMARK_FILTER_NAMES, 'compareTo']);

/**
 * Comparison groups (`vergelijkingsgroepen`, issue #24): a platform admin's groups are everyone's and
 * a relation of the protected table (a change makes the pattern again); an organisation's own groups
 * hold only municipalities it serves (a free choice of others' municipalities would let anyone
 * difference them: 400 naming `municipalities`). Saved views: a person's named filters of /vergelijken.
 */
@Injectable()
export class ComparisonService {
  constructor(private readonly db: TenantDb) {}

  private scope(user: AuthUser) {
    return { organisationId: user.organisationId, platformAdmin: user.role === 'platform_admin' };
  }

  list(user: AuthUser): Promise<ComparisonGroup[]> {
    return this.db.run(this.scope(user), async (em) => (await comparisonRepository.list(em)).map(toGroup));
  }

  /** A group the caller may compare with (the platform's or its organisation's), or 404. */
  async visible(user: AuthUser, id: string): Promise<ComparisonGroup> {
    const row = await this.db.run(this.scope(user), (em) => comparisonRepository.get(em, id));
    if (!row) throw new NotFoundException({ message: 'compareTo: no such comparison group', code: 'group_not_found' });
    return toGroup(row);
  }

  async create(user: AuthUser, dto: ComparisonGroupDto, requestId: string): Promise<ComparisonGroup> {
    const platform = user.role === 'platform_admin';
    const municipalities = [...new Set(dto.municipalities)].sort();
    return this.db.run(this.scope(user), async (em) => {
      await this.checkMunicipalities(em, municipalities, platform);
      const row = await comparisonRepository
        .insert(em, {
          organisationId: platform ? null : user.organisationId,
          name: dto.name,
          municipalities,
          createdBy: user.id,
        })
        .catch((e) => {
          throw uniqueViolation(e) ? nameTaken(dto.name) : e;
        });
      if (platform) await comparisonRepository.bumpSettings(em);
      await this.audit(em, user, 'comparison_group.create', row, requestId);
      return toGroup(row);
    });
  }

  async update(user: AuthUser, id: string, dto: ComparisonGroupDto, requestId: string): Promise<ComparisonGroup> {
    const municipalities = [...new Set(dto.municipalities)].sort();
    return this.db.run(this.scope(user), async (em) => {
      const before = await this.writable(em, user, id);
      await this.checkMunicipalities(em, municipalities, before.organisation_id === null);
      const row = await comparisonRepository.update(em, id, { name: dto.name, municipalities }).catch((e) => {
        throw uniqueViolation(e) ? nameTaken(dto.name) : e;
      });
      if (!row) throw new NotFoundException({ message: 'No such comparison group', code: 'group_not_found' });
      if (row.organisation_id === null) await comparisonRepository.bumpSettings(em);
      await this.audit(em, user, 'comparison_group.update', row, requestId);
      return toGroup(row);
    });
  }

  async remove(user: AuthUser, id: string, requestId: string): Promise<void> {
    await this.db.run(this.scope(user), async (em) => {
      const before = await this.writable(em, user, id);
      await comparisonRepository.remove(em, id);
      if (before.organisation_id === null) await comparisonRepository.bumpSettings(em);
      await this.audit(em, user, 'comparison_group.delete', before, requestId);
    });
  }

  /** The group, when the caller may change it: 404 when it cannot see it, 403 for a platform group. */
  private async writable(
    em: Parameters<typeof comparisonRepository.get>[0],
    user: AuthUser,
    id: string,
  ): Promise<ComparisonGroupRow> {
    const row = await comparisonRepository.get(em, id);
    if (!row) throw new NotFoundException({ message: 'No such comparison group', code: 'group_not_found' });
    if ((row.organisation_id === null) !== (user.role === 'platform_admin'))
      throw new ForbiddenException({
        message:
          row.organisation_id === null
            ? 'Platform comparison groups are changed by a platform admin only'
            : "A platform admin does not change an organisation's own groups",
        code: 'group_not_yours',
      });
    return row;
  }

  /** Every code a known municipality; an organisation's own group: only municipalities it serves. */
  private async checkMunicipalities(
    em: Parameters<typeof comparisonRepository.get>[0],
    codes: string[],
    platform: boolean,
  ): Promise<void> {
    const unknown = await comparisonRepository.unknownCodes(em, codes);
    if (unknown.length)
      throw fieldError('municipalities', `has ${unknown.join(', ')}, which is not a municipality (CBS code)`);
    if (platform) return;
    const served = new Set(await comparisonRepository.servedCodes(em));
    const others = codes.filter((c) => !served.has(c));
    if (others.length)
      throw fieldError(
        'municipalities',
        `has ${others.join(', ')}, which your organisation does not serve: your own groups hold only your municipalities (others' figures could be worked out by difference)`,
      );
  }

  private audit(
    em: Parameters<typeof appendAudit>[0],
    user: AuthUser,
    action: string,
    row: ComparisonGroupRow,
    requestId: string,
  ): Promise<void> {
    return appendAudit(em, {
      organisationId: row.organisation_id,
      actorUserId: user.id,
      actorRole: user.role,
      action,
      entityType: 'comparison_group',
      entityId: row.id,
      requestId,
      details: { name: row.name, municipalities: row.municipalities.length },
    });
  }

  // ---------- saved views ----------

  views(user: AuthUser): Promise<SavedView[]> {
    return this.db.run(this.scope(user), async (em) => (await comparisonRepository.views(em, user.id)).map(toView));
  }

  async saveView(user: AuthUser, dto: SavedViewDto): Promise<SavedView> {
    const query = dto.query.replace(/^\?/, '');
    const params = new URLSearchParams(query);
    const unknownKey = [...params.keys()].find((k) => !VIEW_PARAMS.has(k));
    if (unknownKey) throw fieldError('query', `has ${unknownKey}, which is not a filter of the page`);
    const { problems } = parseBenchmarkFilters(Object.fromEntries(params));
    if (problems.length)
      throw fieldError('query', `has ${problems[0].field}=${problems[0].value}, which the page cannot read`);
    return this.db.run(this.scope(user), async (em) => {
      const existing = await comparisonRepository.views(em, user.id);
      if (existing.length >= MAX_SAVED_VIEWS)
        throw new BadRequestException({
          message: `You have ${MAX_SAVED_VIEWS} saved views: remove one first`,
          code: 'too_many_views',
          details: [{ field: 'name', message: `at most ${MAX_SAVED_VIEWS} saved views` }],
        });
      const row = await comparisonRepository
        .insertView(em, { organisationId: user.organisationId as string, userId: user.id, name: dto.name, query })
        .catch((e) => {
          throw uniqueViolation(e) ? nameTaken(dto.name) : e;
        });
      return toView(row);
    });
  }

  async removeView(user: AuthUser, id: string): Promise<void> {
    const gone = await this.db.run(this.scope(user), (em) => comparisonRepository.removeView(em, user.id, id));
    if (!gone) throw new NotFoundException({ message: 'No such saved view', code: 'view_not_found' });
  }
}

const nameTaken = (name: string) =>
  new ConflictException({
    message: `The name "${name}" is already in use`,
    code: 'name_taken',
    details: [{ field: 'name', message: 'is already in use' }],
  });
