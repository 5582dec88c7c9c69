import type { EntityManager } from 'typeorm';
import { DEFAULT_MIN_CELL, type IsoDate } from '@klantmonitor/shared/domain';
import {
  ALL_TYPES,
  NATIONAL,
  cellKey,
  lastCompleteQuarter,
  protectedPattern,
  quarterDays,
  quartersFrom,
  rollingQuarters,
  type ProtectedTableInput,
} from '@klantmonitor/shared/metrics';

/**
 * The protected table's suppression pattern (metrics.md "Protected figures"): its input from the
 * analytics facts, computed with the recompute (the warm job) and stored per data version, day and
 * minCell; every answer that holds a protected figure looks its cells up here. The rule itself is
 * shared/metrics protectedPattern.
 */
export interface StoredProtectedPattern {
  version: number;
  settingsVersion: number;
  asOf: IsoDate;
  minCell: number;
  hidden: ReadonlySet<string>;
  /** Organisation id -> its municipalities, as the pattern's group cells were made. */
  groups: Readonly<Record<string, string[]>>;
  stats: ProtectedStats;
}

export interface ProtectedStats {
  cells: number;
  primary: number;
  secondary: number;
  /** National cells (area = the nation) hidden by each rule. */
  nationalPrimary: number;
  nationalSecondary: number;
  durationMs: number;
}

/** The smallest shown count of protected cells for a caller: at least the platform default. */
export const protectedMinCell = (callerMinCell: number) => Math.max(callerMinCell, DEFAULT_MIN_CELL);

/** Per municipality taking part: the organisation that alone serves it, and the strictest setting there. */
export async function municipalityServing(
  em: Pick<EntityManager, 'query'>,
): Promise<Map<string, { owner: string | null; minCell: number }>> {
  const rows: { municipality_code: string; owner: string | null; min_cell: number | null }[] = await em.query(
    'SELECT municipality_code, owner, min_cell FROM km_analytics_municipality_serving()',
  );
  return new Map(rows.map((r) => [r.municipality_code, { owner: r.owner, minCell: r.min_cell ?? DEFAULT_MIN_CELL }]));
}

/**
 * The protected tables: the trajectories (cells by quarter of first contact) and, since #26, the
 * requests for help (cells by quarter of the request: the waiting-time figures). Each has its own
 * pattern over the same areas, windows and types; the requests' hidden cells are stored with the
 * prefix REQUESTS_TABLE in the same list.
 */
export type ProtectedTable = 'trajectories' | 'requests';
export const REQUESTS_TABLE = 'requests:';
const CELLS_OF: Record<ProtectedTable, string> = {
  trajectories: 'SELECT municipality, quarter, client_type, n FROM km_analytics_protected_cells($1, $2)',
  requests: 'SELECT municipality, quarter, client_type, n FROM km_analytics_request_cells($1, $2)',
};

/** The table on asOf: its cells, quarters (from the first with data to the last complete one) and windows. */
export async function protectedTableInput(
  em: Pick<EntityManager, 'query'>,
  asOf: IsoDate,
  minCell: number,
  table: ProtectedTable = 'trajectories',
): Promise<ProtectedTableInput> {
  const last = lastCompleteQuarter(asOf);
  const rows: { municipality: string; quarter: string; client_type: string; n: string }[] = await em.query(
    CELLS_OF[table],
    [asOf, quarterDays(last).to],
  );
  const serving = await municipalityServing(em);
  const areas: { organisation_id: string; municipalities: string[] }[] = await em.query(
    'SELECT organisation_id, municipalities FROM km_analytics_organisation_areas()',
  );
  // Platform comparison groups (#24): one more relation each, group = the sum of its municipalities.
  const platform: { id: string; municipalities: string[] }[] = await em.query(
    'SELECT id, municipalities FROM km_analytics_platform_groups()',
  );
  // From a year before the first quarter with data: every window that holds a client (a year, the
  // four quarters up to one) lies wholly in the table, so its cell key is the one answers look up.
  const firstWithData = rows.reduce((m, r) => (r.quarter < m ? r.quarter : m), last);
  const quarters = quartersFrom(`${Number(firstWithData.slice(0, 4)) - 1}-Q1`, last);
  const types = [...new Set(rows.map((r) => r.client_type))].sort((a, b) =>
    a === 'unknown' ? 1 : b === 'unknown' ? -1 : a < b ? -1 : a > b ? 1 : 0,
  );
  const owners: Record<string, string> = {};
  for (const [m, s] of serving) if (s.owner) owners[m] = s.owner;
  const caller = protectedMinCell(minCell);
  return {
    cells: rows.map((r) => ({
      municipality: r.municipality,
      quarter: r.quarter,
      clientType: r.client_type,
      eligible: Number(r.n),
    })),
    quarters,
    rolling: rollingQuarters(last),
    // Step attainment's default window ends earlier for a longer withinDays: every rolling window is a cell.
    windows: quarters.map((q) => rollingQuarters(q)),
    clientTypes: types,
    owners,
    // Each organisation's own total (its municipalities together) is a cell too: area group:<id>;
    // each platform comparison group: area group:cg:<id> (platformGroupArea).
    groups: {
      ...Object.fromEntries(areas.map((a) => [a.organisation_id, a.municipalities])),
      ...Object.fromEntries(platform.map((g) => [platformGroupKey(g.id), g.municipalities])),
    },
    // Everyone sees platform groups: their complements and nested differences are relations too.
    seenByAll: platform.map((g) => platformGroupKey(g.id)),
    minCell: (c) =>
      c.area === NATIONAL || c.area.startsWith('group:')
        ? caller
        : Math.max(caller, serving.get(c.area)?.minCell ?? DEFAULT_MIN_CELL),
  };
}

/** Computes the pattern on asOf for this minCell, from the facts of `version` and the settings of `settingsVersion`, and stores it. */
export async function computeProtectedPattern(
  em: Pick<EntityManager, 'query'>,
  version: number,
  settingsVersion: number,
  asOf: IsoDate,
  minCell: number,
): Promise<StoredProtectedPattern> {
  const started = Date.now();
  const input = await protectedTableInput(em, asOf, minCell);
  const p = protectedPattern(input);
  const hidden = new Set([...p.primary, ...p.secondary]);
  // The requests' table (#26): its own pattern, its keys prefixed; not in the stats (the trajectories').
  const requests = protectedPattern(await protectedTableInput(em, asOf, minCell, 'requests'));
  for (const k of [...requests.primary, ...requests.secondary]) hidden.add(REQUESTS_TABLE + k);
  const national = (set: Set<string>) => [...set].filter((k) => k.startsWith(`${NATIONAL}|`)).length;
  const stats: ProtectedStats = {
    cells: p.cells,
    primary: p.primary.size,
    secondary: p.secondary.size,
    nationalPrimary: national(p.primary),
    nationalSecondary: national(p.secondary),
    durationMs: Date.now() - started,
  };
  await em.query(
    `INSERT INTO analytics_protected (version, settings_version, as_of, min_cell, hidden, cells, primary_count,
                                      secondary_count, national_primary, national_secondary, duration_ms, groups)
     VALUES ($1, $11, $2, $3, $4, $5, $6, $7, $8, $9, $10, $12) ON CONFLICT DO NOTHING`,
    [
      version,
      asOf,
      minCell,
      [...hidden],
      stats.cells,
      stats.primary,
      stats.secondary,
      stats.nationalPrimary,
      stats.nationalSecondary,
      stats.durationMs,
      settingsVersion,
      JSON.stringify(input.groups ?? {}),
    ],
  );
  return { version, settingsVersion, asOf, minCell, hidden, groups: input.groups ?? {}, stats };
}

/** The stored pattern, or null when there is none for this version, day and minCell. */
export async function readProtectedPattern(
  em: Pick<EntityManager, 'query'>,
  version: number,
  settingsVersion: number,
  asOf: IsoDate,
  minCell: number,
): Promise<StoredProtectedPattern | null> {
  const [row]: {
    hidden: string[];
    groups: Record<string, string[]>;
    cells: number;
    primary_count: number;
    secondary_count: number;
    national_primary: number;
    national_secondary: number;
    duration_ms: number;
  }[] = await em.query(
    `SELECT hidden, groups, cells, primary_count, secondary_count, national_primary, national_secondary, duration_ms
     FROM analytics_protected WHERE version = $1 AND as_of = $2 AND min_cell = $3 AND settings_version = $4`,
    [version, asOf, minCell, settingsVersion],
  );
  if (!row) return null;
  return {
    version,
    settingsVersion,
    asOf,
    minCell,
    hidden: new Set(row.hidden),
    groups: row.groups,
    stats: {
      cells: row.cells,
      primary: row.primary_count,
      secondary: row.secondary_count,
      nationalPrimary: row.national_primary,
      nationalSecondary: row.national_secondary,
      durationMs: row.duration_ms,
    },
  };
}

/** Patterns of older data versions are never read again. */
export async function pruneProtectedPatterns(em: Pick<EntityManager, 'query'>): Promise<void> {
  await em.query(
    `DELETE FROM analytics_protected p USING analytics_state s
     WHERE s.id = 1 AND (p.version < s.version OR p.settings_version < s.settings_version)`,
  );
}

/** A platform comparison group's key among the pattern's groups (its area is `group:<key>`). */
export const platformGroupKey = (id: string) => `cg:${id}`;

/** A cell's key in the pattern (area: a municipality code or NATIONAL; clientType: a code or ALL_TYPES). */
export const protectedCell = (
  area: string,
  window: string,
  clientType: string | null,
  table: ProtectedTable = 'trajectories',
) => (table === 'requests' ? REQUESTS_TABLE : '') + cellKey({ area, window, clientType: clientType ?? ALL_TYPES });

/** Which protected table an endpoint's figures are cells of. */
export const protectedTableOf = (endpoint: string): ProtectedTable =>
  endpoint === 'waiting-time' ? 'requests' : 'trajectories';
