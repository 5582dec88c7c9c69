import fc from 'fast-check';
import { ALL_TYPES, NATIONAL, cellKey, protectedPattern, windowName, type ProtectedBaseCell } from './protected-table';

const key = (area: string, window: string, clientType: string) => cellKey({ area, window, clientType });
const hiddenOf = (p: ReturnType<typeof protectedPattern>) => new Set([...p.primary, ...p.secondary]);

/** Every relation: its total hidden, or 0 or at least 2 of its parts hidden (none can be subtracted out). */
function relationsHold(p: ReturnType<typeof protectedPattern>): string[] {
  const hidden = hiddenOf(p);
  // An empty part is known (an answer has no row for it), hidden or not.
  const unknown = (x: string) => hidden.has(x) && (p.counts.get(x) ?? 0) > 0;
  return p.relations.filter((r) => !hidden.has(r.total) && r.parts.filter(unknown).length === 1).map((r) => r.total);
}

describe('the protected table suppression pattern (metrics.md "Protected figures")', () => {
  it('hides a small cell and the smallest other part of each relation it is in (hand-worked)', () => {
    // One municipality GM1, quarters 2024-Q4 (a = 6, b = 6, c = 6) and 2025-Q1 (a = 3, b = 10, c = 12);
    // minCell 5; windows: the quarters, the years 2024 and 2025 (one quarter each: the quarter cells
    // themselves) and the rolling window 2024-Q4..2025-Q1.
    // Primary: 2025-Q1 a = 3 < 5, for GM1 and national (the same clients): 2 cells.
    // Secondary: 2025-Q1 all types = 25 is shown with one hidden part (a): the smallest shown part,
    // b = 10, goes too. The rolling a (9) = 2024-Q4 a (6) + 2025-Q1 a (hidden): rolling a shown with
    // one hidden quarter, so the smaller shown part, 2024-Q4 a = 6, goes too; likewise rolling b
    // (16 = 6 + hidden 10) hides 2024-Q4 b. Then 2024-Q4 all types (18) has two hidden types (a, b):
    // fine. Rolling all types (43) = 18 + 25: no hidden part. Each for GM1 and national: 4 x 2 cells.
    const p = protectedPattern({
      cells: [
        { municipality: 'GM1', quarter: '2024-Q4', clientType: 'a', eligible: 6 },
        { municipality: 'GM1', quarter: '2024-Q4', clientType: 'b', eligible: 6 },
        { municipality: 'GM1', quarter: '2024-Q4', clientType: 'c', eligible: 6 },
        { municipality: 'GM1', quarter: '2025-Q1', clientType: 'a', eligible: 3 },
        { municipality: 'GM1', quarter: '2025-Q1', clientType: 'b', eligible: 10 },
        { municipality: 'GM1', quarter: '2025-Q1', clientType: 'c', eligible: 12 },
      ],
      quarters: ['2024-Q4', '2025-Q1'],
      rolling: ['2024-Q4', '2025-Q1'],
      clientTypes: ['a', 'b', 'c'],
      minCell: () => 5,
    });
    const rolling = windowName(['2024-Q4', '2025-Q1']);
    expect(rolling).toBe('2024-Q4..2025-Q1');
    const both = (w: string, type: string) => ['GM1', NATIONAL].map((area) => key(area, w, type));
    expect([...p.primary].sort()).toEqual(both('2025-Q1', 'a').sort());
    expect([...p.secondary].sort()).toEqual(
      [...both('2025-Q1', 'b'), ...both('2024-Q4', 'a'), ...both('2024-Q4', 'b')].sort(),
    );
    expect(p.counts.get(key(NATIONAL, rolling, ALL_TYPES))).toBe(43);
    // A year of one quarter is that quarter's cell: no separate "2025" cell to differ from it.
    expect(p.counts.has(key('GM1', '2025', 'a'))).toBe(false);
    expect(relationsHold(p)).toEqual([]);
  });

  it('breaks ties by the lowest municipality code, and hides a total whose only other part is gone (hand-worked)', () => {
    // Three municipalities, one type a, one quarter (no rolling window): GM0001 = 3 (primary, minCell 5),
    // GM0002 = 8, GM0003 = 8. National = 19 is shown with one hidden part: the smallest shown parts are
    // GM0002 and GM0003 (8 each): the lowest code, GM0002, goes. Then GM0002's all-types cell (8, its
    // one type hidden, no other part) and its year cell (its one quarter hidden) go too; GM0001's are
    // primary. GM0003 and national stay: the national relation has two hidden parts everywhere.
    const p = protectedPattern({
      cells: [
        { municipality: 'GM0003', quarter: '2025-Q1', clientType: 'a', eligible: 8 },
        { municipality: 'GM0001', quarter: '2025-Q1', clientType: 'a', eligible: 3 },
        { municipality: 'GM0002', quarter: '2025-Q1', clientType: 'a', eligible: 8 },
      ],
      quarters: ['2025-Q1'],
      rolling: [],
      clientTypes: ['a'],
      minCell: () => 5,
    });
    const cells = (m: string) => ['a', ALL_TYPES].map((t) => key(m, '2025-Q1', t));
    expect([...p.primary].sort()).toEqual(cells('GM0001').sort());
    expect([...p.secondary].sort()).toEqual(cells('GM0002').sort());
    expect(hiddenOf(p).has(key(NATIONAL, '2025-Q1', ALL_TYPES))).toBe(false);
    expect(relationsHold(p)).toEqual([]);
  });

  it('breaks ties by the earliest quarter, then by type order (hand-worked)', () => {
    // Quarters: GM1, type a: 2025-Q1 = 3 (primary, minCell 5), Q2 = 8, Q3 = 8. The year (Q1..Q3, 19)
    // is shown with one hidden quarter: of the equal Q2 and Q3, the earliest, Q2, goes.
    const quarters = protectedPattern({
      cells: ['2025-Q1', '2025-Q2', '2025-Q3'].map((quarter, i) => ({
        municipality: 'GM1',
        quarter,
        clientType: 'a',
        eligible: i === 0 ? 3 : 8,
      })),
      quarters: ['2025-Q1', '2025-Q2', '2025-Q3'],
      rolling: [],
      clientTypes: ['a'],
      minCell: () => 5,
    });
    expect(quarters.secondary.has(key('GM1', '2025-Q2', 'a'))).toBe(true);
    expect(hiddenOf(quarters).has(key('GM1', '2025-Q3', 'a'))).toBe(false);
    // Types in the order c, a, b: b = 3 (primary), a = 8, c = 8. All types (19) shown with one hidden
    // type: of the equal a and c, the first in type order, c, goes.
    const types = protectedPattern({
      cells: [
        { municipality: 'GM1', quarter: '2025-Q1', clientType: 'a', eligible: 8 },
        { municipality: 'GM1', quarter: '2025-Q1', clientType: 'b', eligible: 3 },
        { municipality: 'GM1', quarter: '2025-Q1', clientType: 'c', eligible: 8 },
      ],
      quarters: ['2025-Q1'],
      rolling: [],
      clientTypes: ['c', 'a', 'b'],
      minCell: () => 5,
    });
    expect(types.secondary.has(key('GM1', '2025-Q1', 'c'))).toBe(true);
    expect(hiddenOf(types).has(key('GM1', '2025-Q1', 'a'))).toBe(false);
    expect(relationsHold(types)).toEqual([]);
  });

  it("takes a cell's own minCell (the serving organisation's may be larger); an empty cell is no protection", () => {
    // GM1 = 7 is hidden with its organisation's minCell 10 although the caller's is 5. GM2 = 0 is no
    // small cell, and hiding it would protect nothing (an answer has no row for it: its absence says
    // 0), so the national relation (27, one hidden part) takes the smallest part with clients: GM3 = 20.
    // Then national is shown with two hidden parts (GM1, GM3), and GM2 stays "shown" (empty).
    const p = protectedPattern({
      cells: [
        { municipality: 'GM1', quarter: '2025-Q2', clientType: 'a', eligible: 7 },
        { municipality: 'GM2', quarter: '2025-Q2', clientType: 'a', eligible: 0 },
        { municipality: 'GM3', quarter: '2025-Q2', clientType: 'a', eligible: 20 },
      ],
      quarters: ['2025-Q2'],
      rolling: [],
      clientTypes: ['a'],
      minCell: (c) => (c.area === 'GM1' ? 10 : 5),
    });
    expect(p.primary.has(key('GM1', '2025-Q2', 'a'))).toBe(true);
    expect(hiddenOf(p).has(key('GM2', '2025-Q2', 'a'))).toBe(false);
    expect(p.secondary.has(key('GM3', '2025-Q2', 'a'))).toBe(true);
    expect(hiddenOf(p).has(key(NATIONAL, '2025-Q2', 'a'))).toBe(false);
    expect(relationsHold(p)).toEqual([]);
  });

  it('protects a comparison group like the nation: the group total gives away no member', () => {
    // Group g = GM1 + GM2; GM1 = 2 (primary), GM2 = 9, GM3 = 30 (not in g). The group's relation
    // (11 shown, one hidden part) hides GM2 too, although the national relation (41) already had
    // GM1 hidden and would hide GM2 as its smallest shown part anyway.
    const p = protectedPattern({
      cells: [
        { municipality: 'GM1', quarter: '2025-Q1', clientType: 'a', eligible: 2 },
        { municipality: 'GM2', quarter: '2025-Q1', clientType: 'a', eligible: 9 },
        { municipality: 'GM3', quarter: '2025-Q1', clientType: 'a', eligible: 30 },
      ],
      quarters: ['2025-Q1'],
      rolling: [],
      clientTypes: ['a'],
      groups: { g: ['GM1', 'GM2'] },
      minCell: () => 5,
    });
    expect(p.counts.get(key('group:g', '2025-Q1', 'a'))).toBe(11);
    expect(hiddenOf(p).has(key('GM2', '2025-Q1', 'a'))).toBe(true);
    expect(relationsHold(p)).toEqual([]);
  });

  it('keeps a platform group from giving away a municipality outside it, or between two nested groups (#24, hand-worked)', () => {
    /*
     * GM1 = 20, GM2 = 20, GM3 = 3 (primary), GM4 = 30; platform group g = GM1 + GM2 (40).
     * Nation (73): GM3 hidden, so its smallest shown part goes too: GM1 (20, lowest code before GM2).
     * g (40): GM1 hidden alone, so GM2 goes. Without more, GM3 = nation - g - GM4 = 73 - 40 - 30.
     * With the relation nation = g + GM3 + GM4 (everyone sees g): GM3 hidden alone, so the smallest
     * shown part goes: GM4 (30, before g's 40). Then nation - g = GM3 + GM4, two hidden cells.
     */
    const cells = [
      { municipality: 'GM1', quarter: '2025-Q1', clientType: 'a', eligible: 20 },
      { municipality: 'GM2', quarter: '2025-Q1', clientType: 'a', eligible: 20 },
      { municipality: 'GM3', quarter: '2025-Q1', clientType: 'a', eligible: 3 },
      { municipality: 'GM4', quarter: '2025-Q1', clientType: 'a', eligible: 30 },
    ];
    const base = { cells, quarters: ['2025-Q1'], rolling: [], clientTypes: ['a'], minCell: () => 10 };
    const k = (m: string) => key(m, '2025-Q1', 'a');
    const subtractable = (p: ReturnType<typeof protectedPattern>) => {
      const hidden = hiddenOf(p);
      const shown = (x: string) => !hidden.has(x);
      // GM3 by difference: nation, g and GM4 all shown while GM3 is hidden.
      return hidden.has(k('GM3')) && shown(k(NATIONAL)) && shown(k('group:cg:x')) && shown(k('GM4'));
    };
    // An organisation's own total (seen by that organisation only): the old rule.
    expect(subtractable(protectedPattern({ ...base, groups: { 'cg:x': ['GM1', 'GM2'] } }))).toBe(true);
    const p = protectedPattern({ ...base, groups: { 'cg:x': ['GM1', 'GM2'] }, seenByAll: ['cg:x'] });
    expect(subtractable(p)).toBe(false);
    // (Their "all types" cells go with them: one type, so all = that type.)
    expect([...hiddenOf(p)].filter((x) => x.endsWith('|a')).sort()).toEqual(
      [k('GM1'), k('GM2'), k('GM3'), k('GM4')].sort(),
    );
    expect(relationsHold(p)).toEqual([]);
    // Nested groups: big = GM1..GM3, small = GM1 + GM2; big - small = GM3 must not stand alone.
    const nested = protectedPattern({
      ...base,
      groups: { 'cg:big': ['GM1', 'GM2', 'GM3'], 'cg:small': ['GM1', 'GM2'] },
      seenByAll: ['cg:big', 'cg:small'],
    });
    const hidden = hiddenOf(nested);
    const bigMinusSmall = !hidden.has(k('group:cg:big')) && !hidden.has(k('group:cg:small')) && hidden.has(k('GM3'));
    expect(bigMinusSmall).toBe(false);
    expect(relationsHold(nested)).toEqual([]);
  });

  it("holds for an organisation that knows its own municipalities' cells (hand-worked)", () => {
    // GM1 = 3 (primary), GM2 = 20, GM3 = 30, GM4 = 40; one quarter, one type; minCell 5. Without
    // owners, national (93) with one hidden part hides the smallest shown one, GM2: two hidden. But
    // GM1 belongs to organisation A alone, which sees it exactly: for A, only GM2 is hidden, and
    // 93 - 3 - 30 - 40 = 20 gives it away. So with owners, the smallest part A does not know goes
    // too: GM3 (30; GM2 is hidden already, GM1 is A's own). For B (owner of GM2), GM1 and GM3 stay
    // unknown: 2. For nobody: 3 hidden.
    const t = {
      cells: [
        { municipality: 'GM1', quarter: '2025-Q1', clientType: 'a', eligible: 3 },
        { municipality: 'GM2', quarter: '2025-Q1', clientType: 'a', eligible: 20 },
        { municipality: 'GM3', quarter: '2025-Q1', clientType: 'a', eligible: 30 },
        { municipality: 'GM4', quarter: '2025-Q1', clientType: 'a', eligible: 40 },
      ],
      quarters: ['2025-Q1'],
      rolling: [],
      clientTypes: ['a'],
      minCell: () => 5,
    };
    const hiddenMunis = (p: ReturnType<typeof protectedPattern>) =>
      [...hiddenOf(p)]
        .filter((k) => k.endsWith('|2025-Q1|a'))
        .map((k) => k.split('|')[0])
        .sort();
    expect(hiddenMunis(protectedPattern(t))).toEqual(['GM1', 'GM2']);
    expect(hiddenMunis(protectedPattern({ ...t, owners: { GM1: 'A', GM2: 'B' } }))).toEqual(['GM1', 'GM2', 'GM3']);
  });

  // Random tables: 1-4 municipalities, 1-5 quarters of 2024-2025, 1-3 types, counts 0-12, minCell 3-6.
  const QUARTERS = ['2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3'];
  const table = fc
    .record({
      municipalities: fc.integer({ min: 1, max: 4 }),
      quarters: fc.integer({ min: 1, max: 5 }),
      types: fc.integer({ min: 1, max: 3 }),
      minCell: fc.integer({ min: 3, max: 6 }),
      counts: fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 60, maxLength: 60 }),
      group: fc.boolean(),
      owned: fc.boolean(),
    })
    .map((r) => {
      const munis = ['GM1', 'GM2', 'GM3', 'GM4'].slice(0, r.municipalities);
      const quarters = QUARTERS.slice(0, r.quarters);
      const types = ['a', 'b', 'c'].slice(0, r.types);
      const cells: ProtectedBaseCell[] = [];
      let i = 0;
      for (const municipality of munis)
        for (const quarter of quarters)
          for (const clientType of types)
            cells.push({ municipality, quarter, clientType, eligible: r.counts[i++ % 60] });
      return {
        cells,
        quarters,
        rolling: quarters.slice(-4),
        clientTypes: types,
        groups: r.group && munis.length > 1 ? { g: munis.slice(0, 2) } : undefined,
        // A group everyone sees adds its complement as a relation (the check below covers it too).
        seenByAll: r.group && munis.length > 2 ? ['g'] : undefined,
        owners: r.owned ? { GM1: 'A', GM2: 'B', GM3: 'A' } : undefined,
        minCell: () => r.minCell,
      };
    });

  it('(property) no relation whose total is shown has exactly one hidden part; every small cell is hidden', () => {
    fc.assert(
      fc.property(table, (t) => {
        const p = protectedPattern(t);
        const hidden = hiddenOf(p);
        const small = [...p.counts].filter(([, n]) => n > 0 && n < t.minCell()).map(([k]) => k);
        return relationsHold(p).length === 0 && small.every((k) => hidden.has(k));
      }),
      { numRuns: 300 },
    );
  });

  it('(property) holds for each organisation knowing its own municipalities too', () => {
    fc.assert(
      fc.property(table, (t) => {
        const p = protectedPattern(t);
        const hidden = hiddenOf(p);
        const owners: Record<string, string> = t.owners ?? {};
        return ['A', 'B'].every((viewer) =>
          p.relations.every((r) => {
            if (hidden.has(r.total)) return true;
            const unknown = r.parts.filter(
              (x) => hidden.has(x) && (p.counts.get(x) ?? 0) > 0 && owners[x.split('|')[0]] !== viewer,
            ).length;
            // The viewer's own area: it knows every part (and the total).
            return unknown !== 1 || owners[r.total.split('|')[0]] === viewer;
          }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('(property) the same pattern whatever order the cells come in', () => {
    fc.assert(
      fc.property(table, fc.integer(), (t, seed) => {
        const shuffled = [...t.cells].sort(
          (x, y) =>
            ((x.eligible * 31 + x.quarter.length * seed) % 7) - ((y.eligible * 31 + y.quarter.length * seed) % 7) ||
            (x.municipality < y.municipality ? 1 : -1),
        );
        const a = protectedPattern(t);
        const b = protectedPattern({ ...t, cells: shuffled, clientTypes: [...t.clientTypes] });
        return (
          JSON.stringify([...a.primary].sort()) === JSON.stringify([...b.primary].sort()) &&
          JSON.stringify([...a.secondary].sort()) === JSON.stringify([...b.secondary].sort())
        );
      }),
      { numRuns: 200 },
    );
  });

  it('(property) adding a client never leaves a cell shown that the rule must hide', () => {
    fc.assert(
      fc.property(table, fc.nat(), (t, at) => {
        const cells = t.cells.map((c, i) => (i === at % t.cells.length ? { ...c, eligible: c.eligible + 1 } : c));
        const p = protectedPattern({ ...t, cells });
        const hidden = hiddenOf(p);
        return (
          relationsHold(p).length === 0 && [...p.counts].every(([k, n]) => !(n > 0 && n < t.minCell()) || hidden.has(k))
        );
      }),
      { numRuns: 200 },
    );
  });
});
