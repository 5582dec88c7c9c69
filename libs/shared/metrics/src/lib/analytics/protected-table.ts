/**
 * The suppression pattern of the protected table (metrics.md "Protected figures: other
 * organisations' clients"): figures about clients of municipalities the caller does not serve come
 * from one fixed table, protected as a whole, so that no hidden cell can be worked out by subtracting
 * shown ones in any relation of the table. Decided on eligible counts only: every figure of a cell
 * (any step, withinDays, item) follows the same pattern. Pure: cells and relations in, hidden set out.
 *
 * Cells: (one municipality, or national, or a comparison group) x (one calendar quarter, one calendar
 * year, or the rolling last four complete quarters) x (one client type, or all types). Relations
 * (total = sum of parts): a year or the rolling window = its quarters; all types = the types;
 * national = the municipalities; a comparison group = its municipalities.
 *
 * Primary: a cell with 0 < n < minCell is hidden. Secondary: in every relation whose total is shown,
 * the number of hidden parts is 0 or at least 2; where it is 1, the smallest shown part with clients
 * is hidden too (ties: lowest municipality code, then earliest quarter, then type order; an empty part
 * is no protection: answers show no row for it); where no such part is left, the total is hidden. Repeated until no relation has exactly one hidden part.
 *
 * An organisation knows its own municipalities' cells (it sees them free and exact): in a relation
 * over municipalities (national, a comparison group), the parts it knows do not count as hidden for
 * it. So with `owners` given, the rule holds for every viewer: nobody, and each organisation that
 * alone serves a municipality of the relation; where a viewer would find exactly one hidden part it
 * does not know, the smallest shown part it does not know is hidden too.
 *
 * Windows are named by their span: a quarter `2025-Q3`, more quarters `2025-Q1..2025-Q4` (so a year
 * and a rolling window over the same quarters are one cell, hidden or shown alike): `windowName`.
 */

/** The finest cell: one municipality, one quarter of first contact, one client type. */
export interface ProtectedBaseCell {
  municipality: string;
  /** `2025-Q3`. */
  quarter: string;
  /** A client type code, or `unknown`. */
  clientType: string;
  eligible: number;
}

export interface ProtectedTableInput {
  cells: ProtectedBaseCell[];
  /** The quarters of the table, every one ended on or before asOf (those of the cells outside are ignored). */
  quarters: string[];
  /** The rolling window: the last four complete quarters before asOf (a subset of `quarters`). */
  rolling: string[];
  /** More windows of several quarters (each a run of `quarters`): the rolling windows ending earlier. */
  windows?: string[][];
  /** Client types in their order (for ties); `unknown` included where it occurs. */
  clientTypes: string[];
  /** Platform-wide comparison groups: id -> their municipalities. */
  groups?: Record<string, string[]>;
  /** Municipality -> the one organisation that alone serves it (and so knows its cells); shared ones left out. */
  owners?: Record<string, string>;
  /** The smallest shown count of a cell (metrics.md: the larger of caller's and serving organisation's). */
  minCell: (cell: ProtectedCellKey) => number;
}

export const NATIONAL = '*';
export const ALL_TYPES = '*';

/** A window's name in cell keys: its span (`2025-Q3`, or `2024-Q4..2025-Q3`); quarters in order. */
export const windowName = (quarters: readonly string[]): string =>
  quarters.length === 1 ? quarters[0] : `${quarters[0]}..${quarters[quarters.length - 1]}`;

/** A cell of the protected table. `area`: a municipality code, NATIONAL, or `group:<id>`. `window`: windowName of its quarters. */
export interface ProtectedCellKey {
  area: string;
  window: string;
  clientType: string;
}

export const cellKey = (c: ProtectedCellKey): string => `${c.area}|${c.window}|${c.clientType}`;

export interface ProtectedPattern {
  /** Every cell's eligible count, by cellKey. */
  counts: Map<string, number>;
  /** Hidden by the small-count rule. */
  primary: Set<string>;
  /** Hidden so that no relation gives one of them away. */
  secondary: Set<string>;
  /** Every additive relation of the table (for audits and tests). */
  relations: { total: string; parts: string[] }[];
}

const yearOf = (quarter: string) => quarter.slice(0, 4);

/** The pattern of hidden cells for the whole table. */
export function protectedPattern(input: ProtectedTableInput): ProtectedPattern {
  const quarters = [...new Set(input.quarters)].sort();
  const inTable = new Set(quarters);
  const rolling = input.rolling.filter((q) => inTable.has(q)).sort();
  const years = [...new Set(quarters.map(yearOf))].sort();
  // Every window once, by its span: a year of one quarter is that quarter, a rolling window over a
  // whole year is that year.
  const byName = new Map<string, string[]>();
  const more = (input.windows ?? []).map((w) => w.filter((q) => inTable.has(q)).sort());
  for (const w of [
    ...quarters.map((q) => [q]),
    ...years.map((y) => quarters.filter((q) => yearOf(q) === y)),
    rolling,
    ...more,
  ])
    if (w.length) byName.set(windowName(w), w);
  const windows = [...byName].map(([name, qs]) => ({ name, quarters: qs }));
  const typeOrder = new Map(input.clientTypes.map((t, i) => [t, i]));
  for (const c of input.cells) if (!typeOrder.has(c.clientType)) typeOrder.set(c.clientType, typeOrder.size);
  const types = [...typeOrder.keys()];
  const municipalities = [...new Set(input.cells.map((c) => c.municipality))].sort();
  const groups = Object.entries(input.groups ?? {})
    .map(([id, members]) => ({ area: `group:${id}`, members: [...new Set(members)].sort() }))
    .sort((a, b) => (a.area < b.area ? -1 : a.area > b.area ? 1 : 0));

  // Base counts (municipality x quarter x type), then every cell as a sum.
  const base = new Map<string, number>();
  for (const c of input.cells) {
    if (!inTable.has(c.quarter)) continue;
    const k = cellKey({ area: c.municipality, window: c.quarter, clientType: c.clientType });
    base.set(k, (base.get(k) ?? 0) + c.eligible);
  }
  const counts = new Map<string, number>();
  const areas: { area: string; members: string[] }[] = [
    ...municipalities.map((m) => ({ area: m, members: [m] })),
    { area: NATIONAL, members: municipalities },
    ...groups,
  ];
  for (const a of areas)
    for (const w of windows)
      for (const t of [...types, ALL_TYPES]) {
        let n = 0;
        for (const m of a.members)
          for (const q of w.quarters)
            for (const tt of t === ALL_TYPES ? types : [t])
              n += base.get(cellKey({ area: m, window: q, clientType: tt })) ?? 0;
        counts.set(cellKey({ area: a.area, window: w.name, clientType: t }), n);
      }

  // The relations, each part list in tie order (lowest code, earliest quarter, type order).
  const relations: { total: string; parts: string[] }[] = [];
  const typeList = [...types, ALL_TYPES];
  for (const a of areas)
    for (const t of typeList)
      for (const w of windows)
        if (w.quarters.length > 1)
          relations.push({
            total: cellKey({ area: a.area, window: w.name, clientType: t }),
            parts: w.quarters.map((q) => cellKey({ area: a.area, window: q, clientType: t })),
          });
  for (const a of areas)
    for (const w of windows)
      relations.push({
        total: cellKey({ area: a.area, window: w.name, clientType: ALL_TYPES }),
        parts: types.map((t) => cellKey({ area: a.area, window: w.name, clientType: t })),
      });
  for (const a of areas.filter((x) => x.area === NATIONAL || x.area.startsWith('group:')))
    for (const w of windows)
      for (const t of typeList)
        relations.push({
          total: cellKey({ area: a.area, window: w.name, clientType: t }),
          parts: a.members.map((m) => cellKey({ area: m, window: w.name, clientType: t })),
        });

  const primary = new Set<string>();
  for (const [k, n] of counts) {
    const [area, window, clientType] = k.split('|');
    if (n > 0 && n < input.minCell({ area, window, clientType })) primary.add(k);
  }
  const hidden = new Set(primary);
  const secondary = new Set<string>();

  // Every relation a cell is in, so that hiding one cell re-checks only those.
  const byCell = new Map<string, number[]>();
  relations.forEach((r, i) => {
    for (const k of [r.total, ...r.parts]) {
      const list = byCell.get(k);
      if (list) list.push(i);
      else byCell.set(k, [i]);
    }
  });
  const hide = (k: string, queue: number[]) => {
    hidden.add(k);
    secondary.add(k);
    for (const i of byCell.get(k) ?? []) queue.push(i);
  };
  // Who knows each part (the organisation alone serving its municipality), for relations over municipalities.
  const owners = input.owners ?? {};
  const ownerOf = (k: string): string | undefined => owners[k.slice(0, k.indexOf('|'))];
  const overAreas = relations.map((r) => r.total.startsWith(`${NATIONAL}|`) || r.total.startsWith('group:'));
  const queue = relations.map((_, i) => i);
  while (queue.length) {
    const i = queue.pop() as number;
    const r = relations[i];
    if (hidden.has(r.total)) continue;
    // The viewer for whom exactly one hidden part is unknown: nobody, or an organisation knowing the others.
    let viewer: string | null | undefined = undefined;
    const hiddenParts = r.parts.filter((p) => hidden.has(p));
    if (hiddenParts.length === 1) viewer = null;
    else if (hiddenParts.length > 1 && overAreas[i]) {
      const known = new Map<string, number>();
      for (const p of hiddenParts) {
        const o = ownerOf(p);
        if (o !== undefined) known.set(o, (known.get(o) ?? 0) + 1);
      }
      for (const [o, n] of [...known].sort(([a], [b]) => (a < b ? -1 : 1)))
        if (hiddenParts.length - n === 1) {
          viewer = o;
          break;
        }
    }
    if (viewer === undefined) continue;
    // The smallest shown part the viewer does not know; ties by the parts' order (lowest code, earliest
    // quarter, type order). Never an empty part: answers have no row for a cell without clients, so
    // its absence says 0 and hiding it protects nothing (found by the API brute force, #23).
    let pick: string | null = null;
    for (const p of r.parts)
      if (
        !hidden.has(p) &&
        (counts.get(p) ?? 0) > 0 &&
        (viewer === null || ownerOf(p) !== viewer) &&
        (pick === null || (counts.get(p) ?? 0) < (counts.get(pick) ?? 0))
      )
        pick = p;
    // (hide queues this relation again too: another viewer may now find exactly one.)
    hide(pick ?? r.total, queue);
  }
  return { counts, primary, secondary, relations };
}
