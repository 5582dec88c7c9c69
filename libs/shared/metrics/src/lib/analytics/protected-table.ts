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
  /** Groups of municipalities whose totals are cells (an organisation's own total, comparison groups): id -> members. */
  groups?: Record<string, string[]>;
  /**
   * Ids of `groups` whose totals everyone can see (platform comparison groups). For these the nation
   * minus the group (the other municipalities) and a group minus a group inside it are relations too:
   * else one hidden municipality outside a group, or between two nested groups, is had by difference.
   */
  seenByAll?: string[];
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
  /** Every cell's eligible count, by cellKey (built when first read). */
  readonly counts: Map<string, number>;
  /** How many cells the table has. */
  cells: number;
  /** Hidden by the small-count rule. */
  primary: Set<string>;
  /** Hidden so that no relation gives one of them away. */
  secondary: Set<string>;
  /** Every additive relation of the table (for audits and tests; built when first read). */
  readonly relations: { total: string; parts: string[] }[];
}

const yearOf = (quarter: string) => quarter.slice(0, 4);

/**
 * The pattern of hidden cells for the whole table. Cells and relations are numbered (typed arrays,
 * each relation queued at most once at a time): at national scale (342 municipalities, 120
 * organisations' own totals, 15 quarters, 11 types) the string-keyed first version took 4.3 s and
 * 265 MB, mostly building keys and collecting them again.
 */
export function protectedPattern(input: ProtectedTableInput): ProtectedPattern {
  const quarters = [...new Set(input.quarters)].sort();
  const quarterIdx = new Map(quarters.map((q, i) => [q, i]));
  const rolling = input.rolling.filter((q) => quarterIdx.has(q)).sort();
  const years = [...new Set(quarters.map(yearOf))].sort();
  // Every window once, by its span: a year of one quarter is that quarter, a rolling window over a
  // whole year is that year. The quarters come first, in order: window q is quarter q.
  const more = (input.windows ?? []).map((w) => w.filter((q) => quarterIdx.has(q)).sort());
  const byName = new Map<string, string[]>();
  for (const w of [
    ...quarters.map((q) => [q]),
    ...years.map((y) => quarters.filter((q) => yearOf(q) === y)),
    rolling,
    ...more,
  ])
    if (w.length && !byName.has(windowName(w))) byName.set(windowName(w), w);
  const windows = [...byName].map(([name, qs]) => ({ name, quarters: qs.map((q) => quarterIdx.get(q) as number) }));

  const typeOrder = new Map(input.clientTypes.map((t, i) => [t, i]));
  for (const c of input.cells) if (!typeOrder.has(c.clientType)) typeOrder.set(c.clientType, typeOrder.size);
  const types = [...typeOrder.keys()];
  const municipalities = [...new Set(input.cells.map((c) => c.municipality))].sort();
  const muniIdx = new Map(municipalities.map((m, i) => [m, i]));
  const groups = Object.entries(input.groups ?? {})
    .map(([id, members]) => ({
      area: `group:${id}`,
      members: [...new Set(members)]
        .filter((m) => muniIdx.has(m))
        .sort()
        .map((m) => muniIdx.get(m) as number),
    }))
    .sort((a, b) => (a.area < b.area ? -1 : a.area > b.area ? 1 : 0));

  // Areas: the municipalities (0..M-1), the nation (M), the groups (M+1..).
  const M = municipalities.length;
  const areaNames = [...municipalities, NATIONAL, ...groups.map((g) => g.area)];
  const A = areaNames.length;
  const W = windows.length;
  const T = types.length; // type T: all types
  const T1 = T + 1;
  const Q = quarters.length;
  const cell = (a: number, w: number, t: number) => (a * W + w) * T1 + t;
  const nCells = A * W * T1;
  const typeNames = [...types, ALL_TYPES];
  const keyOf = (c: number) => {
    const t = c % T1;
    const aw = (c - t) / T1;
    const w = aw % W;
    return `${areaNames[(aw - w) / W]}|${windows[w].name}|${typeNames[t]}`;
  };

  // Counts: base (municipality x quarter x type), then windows, all types, the nation and groups as sums.
  const base = new Float64Array(M * Q * T);
  for (const c of input.cells) {
    const q = quarterIdx.get(c.quarter);
    if (q === undefined) continue;
    base[((muniIdx.get(c.municipality) as number) * Q + q) * T + (typeOrder.get(c.clientType) as number)] += c.eligible;
  }
  const n = new Float64Array(nCells);
  for (let m = 0; m < M; m++)
    for (let w = 0; w < W; w++) {
      let all = 0;
      for (let t = 0; t < T; t++) {
        let sum = 0;
        for (const q of windows[w].quarters) sum += base[(m * Q + q) * T + t];
        n[cell(m, w, t)] = sum;
        all += sum;
      }
      n[cell(m, w, T)] = all;
    }
  const sumOver = (area: number, members: number[]) => {
    for (let w = 0; w < W; w++)
      for (let t = 0; t < T1; t++) {
        let sum = 0;
        for (const m of members) sum += n[cell(m, w, t)];
        n[cell(area, w, t)] = sum;
      }
  };
  const allMunicipalities = Array.from({ length: M }, (_, i) => i);
  sumOver(M, allMunicipalities);
  groups.forEach((g, i) => sumOver(M + 1 + i, g.members));

  // Relations, each part list in tie order (lowest code, earliest quarter, type order): CSR arrays.
  const relTotal: number[] = [];
  const relStart: number[] = [0];
  const parts: number[] = [];
  const overAreas: boolean[] = [];
  const relation = (total: number, list: number[], areas: boolean) => {
    relTotal.push(total);
    for (const p of list) parts.push(p);
    relStart.push(parts.length);
    overAreas.push(areas);
  };
  for (let a = 0; a < A; a++)
    for (let t = 0; t < T1; t++)
      for (let w = 0; w < W; w++)
        if (windows[w].quarters.length > 1)
          relation(
            cell(a, w, t),
            windows[w].quarters.map((q) => cell(a, q, t)),
            false,
          );
  for (let a = 0; a < A; a++)
    for (let w = 0; w < W; w++)
      relation(
        cell(a, w, T),
        Array.from({ length: T }, (_, t) => cell(a, w, t)),
        false,
      );
  const areaMembers = [allMunicipalities, ...groups.map((g) => g.members)];
  areaMembers.forEach((members, i) => {
    for (let w = 0; w < W; w++)
      for (let t = 0; t < T1; t++)
        relation(
          cell(M + i, w, t),
          members.map((m) => cell(m, w, t)),
          true,
        );
  });
  // Totals everyone sees: nation = group + the municipalities outside it; a group = a group inside it + the rest.
  const seen = new Set((input.seenByAll ?? []).map((id) => `group:${id}`));
  const pairs = (total: number, part: number, rest: number[]) => {
    for (let w = 0; w < W; w++)
      for (let t = 0; t < T1; t++)
        relation(cell(total, w, t), [cell(part, w, t), ...rest.map((m) => cell(m, w, t))], true);
  };
  groups.forEach((g, i) => {
    if (!seen.has(g.area)) return;
    const inside = new Set(g.members);
    pairs(
      M,
      M + 1 + i,
      allMunicipalities.filter((m) => !inside.has(m)),
    );
    groups.forEach((h, j) => {
      if (j === i || !seen.has(h.area) || h.members.length >= g.members.length) return;
      if (h.members.every((m) => inside.has(m))) {
        const inH = new Set(h.members);
        pairs(
          M + 1 + i,
          M + 1 + j,
          g.members.filter((m) => !inH.has(m)),
        );
      }
    });
  });
  const R = relTotal.length;

  const hidden = new Uint8Array(nCells); // 1: primary, 2: secondary
  for (let c = 0; c < nCells; c++) {
    if (n[c] <= 0) continue;
    const t = c % T1;
    const aw = (c - t) / T1;
    const w = aw % W;
    const area = areaNames[(aw - w) / W];
    if (n[c] < input.minCell({ area, window: windows[w].name, clientType: typeNames[t] })) hidden[c] = 1;
  }

  // Every relation a cell is in (CSR), so that hiding one cell re-checks only those.
  const degree = new Int32Array(nCells + 1);
  for (let r = 0; r < R; r++) {
    degree[relTotal[r] + 1]++;
    for (let k = relStart[r]; k < relStart[r + 1]; k++) degree[parts[k] + 1]++;
  }
  for (let c = 0; c < nCells; c++) degree[c + 1] += degree[c];
  const memberOf = new Int32Array(degree[nCells]);
  const fill = degree.slice(0, nCells);
  for (let r = 0; r < R; r++) {
    memberOf[fill[relTotal[r]]++] = r;
    for (let k = relStart[r]; k < relStart[r + 1]; k++) memberOf[fill[parts[k]]++] = r;
  }

  // Who knows each municipality's cells (the organisation alone serving it), as a number; -1: nobody.
  const ownerNames = [...new Set(Object.values(input.owners ?? {}))].sort();
  const ownerIdx = new Map(ownerNames.map((o, i) => [o, i]));
  const ownerOfArea = new Int32Array(A).fill(-1);
  municipalities.forEach((m, i) => {
    const o = input.owners?.[m];
    if (o !== undefined) ownerOfArea[i] = ownerIdx.get(o) as number;
  });
  const ownerOf = (c: number) => ownerOfArea[Math.floor(c / (W * T1))];

  const queued = new Uint8Array(R).fill(1);
  const queue = Array.from({ length: R }, (_, r) => R - 1 - r);
  const knownCount = new Int32Array(ownerNames.length);
  while (queue.length) {
    const r = queue.pop() as number;
    queued[r] = 0;
    if (hidden[relTotal[r]]) continue;
    let hiddenCount = 0;
    for (let k = relStart[r]; k < relStart[r + 1]; k++) if (hidden[parts[k]]) hiddenCount++;
    // The viewer for whom exactly one hidden part is unknown: nobody (-2), or an organisation knowing the others.
    let viewer = -1;
    if (hiddenCount === 1) viewer = -2;
    else if (hiddenCount > 1 && overAreas[r]) {
      const touched: number[] = [];
      for (let k = relStart[r]; k < relStart[r + 1]; k++) {
        const o = hidden[parts[k]] ? ownerOf(parts[k]) : -1;
        if (o >= 0) {
          if (knownCount[o] === 0) touched.push(o);
          knownCount[o]++;
        }
      }
      for (const o of touched.sort((a, b) => a - b)) if (viewer === -1 && hiddenCount - knownCount[o] === 1) viewer = o;
      for (const o of touched) knownCount[o] = 0;
    }
    if (viewer === -1) continue;
    // The smallest shown part with clients the viewer does not know; ties by the parts' order. Never an
    // empty part: answers have no row for a cell without clients, so its absence says 0 and hiding it
    // protects nothing (found by the API brute force, #23).
    let pick = -1;
    for (let k = relStart[r]; k < relStart[r + 1]; k++) {
      const p = parts[k];
      if (hidden[p] || n[p] <= 0 || (viewer >= 0 && ownerOf(p) === viewer)) continue;
      if (pick < 0 || n[p] < n[pick]) pick = p;
    }
    const c = pick >= 0 ? pick : relTotal[r];
    hidden[c] = 2;
    // (This relation is queued again too: another viewer may now find exactly one.)
    for (let k = degree[c]; k < degree[c + 1]; k++) {
      const rr = memberOf[k];
      if (!queued[rr]) {
        queued[rr] = 1;
        queue.push(rr);
      }
    }
  }

  const primary = new Set<string>();
  const secondary = new Set<string>();
  for (let c = 0; c < nCells; c++)
    if (hidden[c] === 1) primary.add(keyOf(c));
    else if (hidden[c] === 2) secondary.add(keyOf(c));
  let counts: Map<string, number> | undefined;
  let relations: { total: string; parts: string[] }[] | undefined;
  return {
    // Built when asked (tests, audits): every cell's key.
    get counts() {
      if (!counts) {
        counts = new Map();
        for (let c = 0; c < nCells; c++) counts.set(keyOf(c), n[c]);
      }
      return counts;
    },
    cells: nCells,
    primary,
    secondary,
    // Built when asked (audits and tests): at national scale 140,000 lists of keys.
    get relations() {
      relations ??= relTotal.map((total, r) => ({
        total: keyOf(total),
        parts: parts.slice(relStart[r], relStart[r + 1]).map(keyOf),
      }));
      return relations;
    },
  };
}
