import { Injectable } from '@nestjs/common';
import { gzipSync } from 'node:zlib';
import { AuthUser } from '@klantmonitor/api/core';
import {
  answerFor,
  cacheKey,
  computeProtectedPattern,
  platformGroupKey,
  protectedCell,
  protectedTableOf,
  protectedMinCell,
  readProtectedPattern,
  type StoredProtectedPattern,
  municipalityNames,
  ownClientTypeNames,
  ownOrganisation,
  computeAndStore,
  minCellPolicy,
  readDefaultAnswer,
  suppressAnswer,
  type AnalyticsQuery,
} from '@klantmonitor/server/analytics';
import { TenantDb } from '@klantmonitor/server/db';
import { DEFAULT_MIN_CELL, todayInAmsterdam, type GroupFields } from '@klantmonitor/shared/domain';
import { NATIONAL, lastCompleteQuarter, quartersFrom } from '@klantmonitor/shared/metrics';
import { paramError, type ParsedAnalyticsQuery } from './analytics-params';
import { isProtectedAnswer, ownCohort, planProtected } from './protected-query';
import { analyticsRepository } from './analytics.repository';
import { ComparisonService, type ComparisonGroup } from './comparison/comparison.service';

/** An analytics answer as sent: rows and total suppressed for the caller, the resolved query. */
export interface AnswerObject {
  computedAt: string | null;
  query: Record<string, unknown> & { minCell: number };
  rows: Record<string, unknown>[];
  total: Record<string, unknown>;
}

export interface AnalyticsOptions {
  organisation: string;
  minCell: number;
  /** `protected`: another organisation serves it or has clients there (metrics.md "Protected figures"). */
  municipalities: { code: string; name: string; own: boolean; protected: boolean }[];
  /** The windows protected figures come in: quarters that ended (latest first) and years with one. */
  windows: { quarters: string[]; years: string[] };
  clientTypes: string[];
  /** The caller's own names of the client types it has (code -> name); other codes have none. */
  clientTypeNames: Record<string, string>;
  items: string[];
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

/** The quarters of the last three years that ended (latest first), and the last six years with one. */
export function offeredWindows(today: string): { quarters: string[]; years: string[] } {
  const last = lastCompleteQuarter(today);
  const quarters = quartersFrom(`${Number(last.slice(0, 4)) - 2}-Q1`, last).reverse();
  const lastYear = Number(last.slice(0, 4));
  return { quarters, years: Array.from({ length: 6 }, (_, i) => String(lastYear - i)) };
}

/** Ready answers kept in memory, at most this many characters (oldest use goes first). */
const ANSWER_CACHE_BYTES = 64 * 1024 * 1024;

interface KeptAnswer {
  version: number;
  computedAt: string | null;
  json: string;
  /** The whole answer as sent, and gzipped once for clients that accept it (large answers only). */
  text?: string;
  gzip?: Buffer;
}

/** Answers from this size on go out gzipped (once per data version) to clients that accept it. */
const GZIP_FROM = 16 * 1024;

export interface AnswerBody {
  body: string | Buffer;
  encoding?: 'gzip';
}

interface Visibility {
  version: number;
  /** analytics_state.settings_version when these were read. */
  settingsVersion: number;
  /** The caller's organisation's small-cell setting (organisations.min_cell, default 10). */
  minCell: number;
  /**
   * Municipality -> whether other organisations than the caller's have data or serve there, and
   * then the strictest small-cell setting among them (0 when only the caller's organisation).
   */
  others: Map<string, number>;
  clientTypes: Set<string>;
  items: Set<string>;
}

/**
 * Serves analytics answers: parse, check against what the caller may see, take the answer for the
 * current data version (stored or computed), then suppress small cells for this caller. Rows that
 * cover another organisation's municipalities use at least the platform's minCell (10), whatever
 * the caller asked: other organisations are only ever seen as suppressed aggregates.
 */
@Injectable()
export class AnalyticsService {
  private readonly visibility = new Map<string, Visibility>();
  /** Protected answers as sent, per caller's organisation, data and settings version, minCell and query. */
  private readonly protectedAnswers = new Map<string, { text: string; gzip?: Buffer }>();
  private readonly patterns = new Map<string, Promise<StoredProtectedPattern>>();
  private readonly ownSets = new Map<string, string[]>();
  private readonly answers = new Map<string, KeptAnswer>();
  private keptBytes = 0;

  constructor(
    private readonly db: TenantDb,
    private readonly comparison: ComparisonService,
  ) {}

  /**
   * The answer as JSON text. The dashboards' usual questions (default minCell) are sent exactly as
   * stored: one small query, no parsing. Anything else is computed (and kept for the data version),
   * then suppressed for this caller.
   */
  async answer(user: AuthUser, parsed: ParsedAnalyticsQuery, acceptsGzip = false): Promise<AnswerBody> {
    if (parsed.compareTo) {
      // The answer, then the comparison group's total beside it as `reference` (issue #24).
      const group = await this.comparison.visible(user, parsed.compareTo);
      const main = String((await this.answer(user, { ...parsed, compareTo: null }, false)).body);
      const reference = await this.reference(user, parsed, group);
      return { body: `${main.slice(0, -1)},"reference":${JSON.stringify(reference)}}` };
    }
    const organisationId = user.organisationId as string;
    // One tiny query: the data version (stored answers) and the settings version (small cells).
    const state = await analyticsRepository.versions(this.db.global);
    const vis = await this.visibilityOf(organisationId, state.version, state.settingsVersion);
    this.checkNames(parsed, vis);
    if (isProtectedAnswer(parsed.query, vis.others)) {
      const kept = await this.protectedAnswer(organisationId, parsed, vis, state.version);
      if (acceptsGzip && kept.text.length >= GZIP_FROM) {
        kept.gzip ??= gzipSync(kept.text);
        return { body: kept.gzip, encoding: 'gzip' };
      }
      return { body: kept.text };
    }
    const query = ownCohort(parsed);
    const stored = await this.storedAnswer(query, state.version);
    // The caller's minCell (asked, else the organisation's setting); the policy: server/analytics small-cells.ts.
    const minCell = parsed.minCell ?? vis.minCell;
    const envelope = (members: string, computedAt: string | null) =>
      `{"computedAt":${JSON.stringify(computedAt)},"query":${JSON.stringify({ ...query, minCell })},${members}}`;
    const selected = query.municipalities ?? [...vis.others.keys()];
    const { minCellFor, defaultFits: storedFits } = minCellPolicy(minCell, vis.others, selected);
    if (storedFits && stored.json !== null) {
      const kept = stored as KeptAnswer;
      kept.text ??= envelope(kept.json, kept.computedAt);
      if (acceptsGzip && kept.text.length >= GZIP_FROM) {
        kept.gzip ??= gzipSync(kept.text);
        return { body: kept.gzip, encoding: 'gzip' };
      }
      return { body: kept.text };
    }
    if (storedFits) {
      // Not stored for this data version (raw and ready JSON are stored together): compute it now.
      const { json } = await computeAndStore(this.db.global, query, stored.version);
      return { body: envelope(json, stored.computedAt) };
    }
    const computed = await answerFor(this.db.global, query);
    const out = suppressAnswer(query.endpoint, computed.answer, minCellFor);
    return {
      body: envelope(`"rows":${JSON.stringify(out.rows)},"total":${JSON.stringify(out.total)}`, computed.computedAt),
    };
  }

  /** Municipalities, client types and items must exist (a 400 naming the parameter). */
  private checkNames(parsed: ParsedAnalyticsQuery, vis: Visibility): void {
    const query = parsed.query;
    const unseen = query.municipalities?.find((m) => !vis.others.has(m));
    if (unseen)
      throw paramError(
        'municipalities',
        `has ${unseen}, which takes no part in Klantmonitor (no organisation serves it)`,
      );
    const unknownType = query.clientTypes?.find((t) => !vis.clientTypes.has(t));
    if (unknownType)
      throw paramError(
        'clientTypes',
        `has ${unknownType}, which is not a client type of any organisation (or unknown)`,
      );
    if (query.item !== undefined && !vis.items.has(query.item))
      throw paramError('item', `${query.item} is not an item of any questionnaire template`);
  }

  /**
   * An answer that holds figures about other organisations' clients (metrics.md "Protected figures"):
   * the window's query (planProtected), rows by municipality taken from the national answer (so the
   * total is the nation's, never one over a chosen set), every protected row and the total shown or
   * hidden as the stored pattern says; rows of the caller's own municipalities free, at its minCell.
   * Experience and response rates also need minCell respondents in a shown cell.
   */
  private async protectedAnswer(
    organisationId: string,
    parsed: ParsedAnalyticsQuery,
    vis: Visibility,
    version: number,
  ): Promise<{ text: string; gzip?: Buffer }> {
    const today = todayInAmsterdam();
    const own = await this.ownMunicipalities(organisationId, version);
    const plan = planProtected(parsed, today, { organisationId, municipalities: own });
    const q = plan.query;
    const callerMinCell = parsed.minCell ?? vis.minCell;
    const minCell = protectedMinCell(callerMinCell);
    const memo = `${organisationId}|${version}|${vis.settingsVersion}|${callerMinCell}|${cacheKey(q)}`;
    const kept = this.protectedAnswers.get(memo);
    if (kept) return kept;
    const pattern = await this.patternFor(version, vis.settingsVersion, today, minCell);
    const byMunicipality = q.groupBy.includes('municipality');
    const national = { ...q, municipalities: null };
    const main = await answerFor(this.db.global, byMunicipality ? national : q);
    const total = byMunicipality || q.municipalities === null ? main : await answerFor(this.db.global, national);
    const chosen = q.municipalities ? new Set(q.municipalities) : null;
    const raw = {
      rows: chosen
        ? main.answer.rows.filter((r) => !byMunicipality || chosen.has((r as GroupFields).municipality ?? ''))
        : main.answer.rows,
      total: total.answer.total,
    };
    const respondents = q.endpoint === 'experience' || q.endpoint === 'response-rate';
    const oneType = q.clientTypes?.[0] ?? null;
    const minCellFor = (fields: GroupFields | null) => {
      const area = plan.areaOf(fields);
      // The caller's own municipality (nobody else serves it): free, at the caller's minCell.
      if (area !== NATIONAL && vis.others.get(area) === 0) return callerMinCell;
      const cell = protectedCell(
        area,
        fields?.period ?? plan.window.name,
        fields?.clientType ?? oneType,
        protectedTableOf(q.endpoint),
      );
      if (pattern.hidden.has(cell)) return Infinity;
      // The caller's own total: only as the pattern made it (municipalities changed since: hidden until the next).
      if (area.startsWith('group:') && !sameSet(pattern.groups[organisationId] ?? [], own)) return Infinity;
      return respondents ? minCell : 0;
    };
    // Eligible cells follow the stored pattern (which holds the secondary rule over the whole table).
    // Respondent counts (experience, response rates) also get the secondary rule within the answer:
    // a phase's rows against its total, the rows of one municipality (metrics.md; across windows,
    // see docs/metrics.md "Protected figures" for what is not covered yet).
    const shown = suppressAnswer(q.endpoint, raw, minCellFor, respondents);
    const body =
      `{"computedAt":${JSON.stringify(main.computedAt)},` +
      `"query":${JSON.stringify({ ...q, cohort: parsed.cohort ?? 'rolling', minCell })},` +
      `"protected":${JSON.stringify({
        window: {
          kind: plan.window.kind,
          quarters: plan.window.quarters,
          from: plan.window.from,
          to: plan.window.to,
        },
        total: 'national',
      })},` +
      `"rows":${JSON.stringify(shown.rows)},"total":${JSON.stringify(shown.total)}}`;
    if (this.protectedAnswers.size > 2000) this.protectedAnswers.clear();
    const out = { text: body };
    this.protectedAnswers.set(memo, out);
    return out;
  }

  /**
   * A comparison group's total for the same question. The organisation's own group: computed like any
   * answer over those municipalities, when nobody else serves or has clients in any of them (else
   * suppressed: a total over a chosen set with others' clients could be differenced). A platform
   * group: a cell of the protected table (group = the sum of its municipalities), in the window of the
   * question, shown or hidden as the stored pattern says (and at least minCell respondents for
   * experience and response rates); a group changed since the pattern was made is hidden until the next.
   */
  private async reference(
    user: AuthUser,
    parsed: ParsedAnalyticsQuery,
    group: ComparisonGroup,
  ): Promise<Record<string, unknown>> {
    const organisationId = user.organisationId as string;
    const state = await analyticsRepository.versions(this.db.global);
    const vis = await this.visibilityOf(organisationId, state.version, state.settingsVersion);
    const members = group.municipalities.filter((m) => vis.others.has(m));
    const head = { group: { id: group.id, name: group.name, scope: group.scope, municipalities: members } };
    const hidden = (reason: string) => ({ ...head, total: { suppressed: true }, reason });
    if (members.length === 0) return hidden('no_data');
    const oneType = parsed.query.clientTypes?.[0] ?? null;
    if (group.scope === 'organisation') {
      if (members.some((m) => vis.others.get(m) !== 0)) return hidden('shared');
      const own = await this.answer(
        user,
        { ...parsed, compareTo: null, query: { ...parsed.query, municipalities: members, groupBy: [] } },
        false,
      );
      return { ...head, total: (JSON.parse(String(own.body)) as AnswerObject).total };
    }
    const today = todayInAmsterdam();
    const own = await this.ownMunicipalities(organisationId, state.version);
    const plan = planProtected({ ...parsed, query: { ...parsed.query, municipalities: null, groupBy: [] } }, today, {
      organisationId,
      municipalities: own,
    });
    const q = { ...plan.query, municipalities: members, groupBy: [] };
    const minCell = protectedMinCell(parsed.minCell ?? vis.minCell);
    const pattern = await this.patternFor(state.version, state.settingsVersion, today, minCell);
    const key = platformGroupKey(group.id);
    const area = `group:${key}`;
    const respondents = q.endpoint === 'experience' || q.endpoint === 'response-rate';
    const shownCell =
      sameSet(pattern.groups[key] ?? [], members) &&
      !pattern.hidden.has(protectedCell(area, plan.window.name, oneType, protectedTableOf(q.endpoint)));
    const raw = await answerFor(this.db.global, q);
    const out = suppressAnswer(
      q.endpoint,
      raw.answer,
      () => (shownCell ? (respondents ? minCell : 0) : Infinity),
      false,
    );
    return {
      ...head,
      window: { kind: plan.window.kind, quarters: plan.window.quarters },
      total: out.total,
    };
  }

  /** The caller's organisation's municipalities (organisation_municipalities), per data version. */
  private async ownMunicipalities(organisationId: string, version: number): Promise<string[]> {
    const key = `${organisationId}|${version}`;
    const known = this.ownSets.get(key);
    if (known) return known;
    const own = (await this.db.run({ organisationId }, (em) => ownOrganisation(em))).municipalities;
    if (this.ownSets.size > 5000) this.ownSets.clear();
    this.ownSets.set(key, own);
    return own;
  }

  /** The protected table's pattern for this data version, day and minCell: stored, else computed now (once). */
  private patternFor(
    version: number,
    settingsVersion: number,
    asOf: string,
    minCell: number,
  ): Promise<StoredProtectedPattern> {
    const key = `${version}|${settingsVersion}|${asOf}|${minCell}`;
    let p = this.patterns.get(key);
    if (!p) {
      p = (async () =>
        (await readProtectedPattern(this.db.global, version, settingsVersion, asOf, minCell)) ??
        computeProtectedPattern(this.db.global, version, settingsVersion, asOf, minCell))();
      p.catch(() => this.patterns.delete(key));
      const current = `${version}|${settingsVersion}|`;
      for (const k of this.patterns.keys()) if (!k.startsWith(current)) this.patterns.delete(k);
      this.patterns.set(key, p);
    }
    return p;
  }

  /**
   * The stored answer at the default minCell. Large answers (a curve per municipality is about 1 MB)
   * are kept in this process too, per data version, so a dashboard request costs one tiny query.
   */
  private async storedAnswer(
    query: AnalyticsQuery,
    version: number,
  ): Promise<{
    version: number;
    computedAt: string | null;
    json: string | null;
  }> {
    const key = cacheKey(query);
    const kept = this.answers.get(key);
    if (kept && kept.version === version) {
      // Most recently used last: Map keeps insertion order, so re-insert.
      this.answers.delete(key);
      this.answers.set(key, kept);
      return kept;
    }
    const stored = await readDefaultAnswer(this.db.global, query);
    if (stored.json !== null && stored.version === version) {
      this.answers.set(key, stored as KeptAnswer);
      this.keptBytes += stored.json.length;
      for (const [k, v] of this.answers) {
        if (this.keptBytes <= ANSWER_CACHE_BYTES) break;
        this.answers.delete(k);
        this.keptBytes -= v.json.length;
      }
    }
    return stored;
  }

  /** What the caller's organisation may name, per data version (cheap to keep, costly to ask each time). */
  private async visibilityOf(organisationId: string, version: number, settingsVersion: number): Promise<Visibility> {
    const known = this.visibility.get(organisationId);
    // A settings change anywhere bumps settingsVersion: every api instance reads them again at once.
    if (known && known.version === version && known.settingsVersion === settingsVersion) return known;
    const vis = await this.db.run({ organisationId }, async (em) => {
      // Every municipality that takes part, with the strictest setting of the other organisations there.
      const munis = await analyticsRepository.municipalityMinCells(em);
      const own = await analyticsRepository.ownMinCell(em);
      const types = await analyticsRepository.clientTypeCodes(em);
      const items = await analyticsRepository.itemCodes(em);
      return {
        version,
        settingsVersion,
        minCell: own ?? DEFAULT_MIN_CELL,
        others: new Map(munis.map((m) => [m.municipality_code, m.min_cell ?? 0])),
        clientTypes: new Set(types),
        items: new Set(items),
      };
    });
    if (this.visibility.size > 5000) this.visibility.clear();
    this.visibility.set(organisationId, vis);
    return vis;
  }

  /**
   * The answer as an object, exactly as the JSON endpoint sends it to this caller (same parsing,
   * visibility and suppression): what CSV, XLSX and the PDF report are written from.
   */
  async figures(user: AuthUser, parsed: ParsedAnalyticsQuery): Promise<AnswerObject> {
    const { body } = await this.answer(user, parsed, false);
    return JSON.parse(String(body)) as AnswerObject;
  }

  /**
   * What the benchmark page's filters offer this caller: every municipality that takes part (with
   * its name, and whether the caller's organisation serves it), the client types and items there
   * are data for, and the organisation's small-cell setting.
   */
  async options(user: AuthUser): Promise<AnalyticsOptions> {
    const organisationId = user.organisationId as string;
    const state = await analyticsRepository.versions(this.db.global);
    const vis = await this.visibilityOf(organisationId, state.version, state.settingsVersion);
    const names = await municipalityNames(this.db.global);
    const own = await this.ownOrganisation(user);
    const ownSet = new Set(own.municipalities);
    return {
      organisation: own.name,
      minCell: vis.minCell,
      municipalities: [...new Set([...vis.others.keys(), ...own.municipalities])]
        .map((code) => ({
          code,
          name: names.get(code) ?? code,
          own: ownSet.has(code),
          protected: (vis.others.get(code) ?? 1) > 0,
        }))
        .sort((a, b) => a.name.localeCompare(b.name, 'nl')),
      clientTypes: [...vis.clientTypes].sort(),
      clientTypeNames: await this.db.run({ organisationId }, (em) => ownClientTypeNames(em)),
      items: [...vis.items].sort(),
      windows: offeredWindows(todayInAmsterdam()),
    };
  }

  /** The caller's organisation: its name and the municipalities it serves. */
  ownOrganisation(user: AuthUser): Promise<{ name: string; municipalities: string[] }> {
    return this.db.run({ organisationId: user.organisationId as string }, (em) => ownOrganisation(em));
  }

  /** Municipality names by CBS code (kept for the process's life: they change by migration only). */
  municipalityNames(): Promise<Map<string, string>> {
    return municipalityNames(this.db.global);
  }
}
