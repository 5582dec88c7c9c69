import fc from 'fast-check';
import type { DropoutRow, GroupFields } from '@klantmonitor/shared/domain';
import { suppressionMask } from './grouping';
import { suppressDropoutAnswer } from './dropout';

/** Rows of a 2-D answer (municipality × client type) with their denominators. */
type Row = GroupFields & { n: number };
const row = (municipality: string, clientType: string, n: number): Row => ({
  municipality,
  clientType,
  n,
});

describe('secondary suppression (docs/metrics.md "Grouping, suppression, reference")', () => {
  it('hides whatever subtraction would reveal: the review case worked by hand', () => {
    /*
     * X: A 20, B 15, C 10, D 5; Y: A 12, D 30. minCell 10.
     * Primary: X-D (5 < 10).
     * Pass 1 - all rows vs total: 1 hidden (X-D) -> smallest other, X-C (10).
     *        - municipalities within D: {X-D, Y-D}: 1 hidden -> Y-D.
     *        - client types within Y: {Y-A, Y-D}: 1 hidden -> Y-A.
     *          (within X: C and D hidden = 2, fine; B and C alone in their type: nothing to pair.)
     * Pass 2 - municipalities within A: {X-A, Y-A}: 1 hidden -> X-A.
     * Pass 3 - no margin has exactly one: only X-B (15) stays visible.
     */
    const rows = [
      row('X', 'A', 20),
      row('X', 'B', 15),
      row('X', 'C', 10),
      row('X', 'D', 5),
      row('Y', 'A', 12),
      row('Y', 'D', 30),
    ];
    const mask = suppressionMask(
      rows,
      (r) => r.n,
      () => 10,
    );
    expect(rows.filter((_, i) => !mask[i]).map((r) => `${r.municipality}-${r.clientType}`)).toEqual(['X-B']);
  });

  it('leaves an answer alone when nothing is small, and pairs a single small row with the smallest other', () => {
    const one = [row('X', 'A', 40), row('X', 'B', 30)];
    expect(
      suppressionMask(
        one,
        (r) => r.n,
        () => 10,
      ),
    ).toEqual([false, false]);
    // Single grouping field: the margin is all rows against the total. 3 is small; the smallest
    // other is 11 (ties would go to the first in order); 50 stays.
    const flat = [
      { municipality: 'A', n: 50 },
      { municipality: 'B', n: 3 },
      { municipality: 'C', n: 11 },
      { municipality: 'D', n: 11 },
    ];
    expect(
      suppressionMask(
        flat,
        (r) => r.n,
        () => 10,
      ),
    ).toEqual([false, true, true, false]);
  });

  it('never gives a hidden dropout row a count, n included, and keeps the total', () => {
    const r = (municipality: string, n: number, dropped: number): DropoutRow => ({
      municipality,
      n,
      dropped,
      share: dropped / n,
      ciLow: 0,
      ciHigh: 1,
      byPhase: null,
      momentOfTruth: null,
      suppressed: false,
    });
    const s = suppressDropoutAnswer(
      {
        rows: [r('A', 50, 5), r('B', 5, 1), r('C', 12, 2)],
        total: r('', 67, 8),
      },
      () => 10,
    );
    expect(s.rows.map((x) => [x.municipality, x.n, x.dropped, x.suppressed])).toEqual([
      ['A', 50, 5, false],
      ['B', null, null, true],
      ['C', null, null, true],
    ]);
    expect(s.total).toMatchObject({ n: 67, dropped: 8, suppressed: false });
  });

  const table = fc
    .record({
      municipalities: fc.integer({ min: 1, max: 5 }),
      types: fc.integer({ min: 1, max: 5 }),
      sizes: fc.array(fc.integer({ min: 0, max: 40 }), {
        minLength: 25,
        maxLength: 25,
      }),
      minCell: fc.integer({ min: 5, max: 15 }),
    })
    .map(({ municipalities, types, sizes, minCell }) => {
      const rows: Row[] = [];
      for (let m = 0; m < municipalities; m++)
        for (let t = 0; t < types; t++) {
          const n = sizes[m * 5 + t];
          if (n > 0) rows.push(row(`GM${m}`, `T${t}`, n)); // only combinations with trajectories are rows
        }
      return { rows, minCell };
    });

  it('property: every small row is hidden, and no margin has exactly one hidden row', () => {
    fc.assert(
      fc.property(table, ({ rows, minCell }) => {
        const mask = suppressionMask(
          rows,
          (r) => r.n,
          () => minCell,
        );
        rows.forEach((r, i) => {
          if (r.n < minCell) expect(mask[i]).toBe(true);
        });
        const margins: number[][] = [rows.map((_, i) => i)];
        for (const keyOf of [(r: Row) => r.municipality, (r: Row) => r.clientType]) {
          const by = new Map<string | undefined, number[]>();
          rows.forEach((r, i) => by.set(keyOf(r), [...(by.get(keyOf(r)) ?? []), i]));
          margins.push(...by.values());
        }
        for (const m of margins) {
          const hidden = m.filter((i) => mask[i]).length;
          // Exactly one hidden row is allowed only where the margin has no other row to hide.
          if (m.length > 1) expect(hidden === 1).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: one answer and its margins never give a hidden count away by subtraction', () => {
    fc.assert(
      fc.property(table, ({ rows, minCell }) => {
        const mask = suppressionMask(
          rows,
          (r) => r.n,
          () => minCell,
        );
        // The attacker knows every visible row and every margin total (from coarser answers).
        // In a margin, subtraction yields the sum of its hidden rows: one hidden row would be exact.
        const byMunicipality = new Map<string | undefined, number[]>();
        rows.forEach((r, i) => byMunicipality.set(r.municipality, [...(byMunicipality.get(r.municipality) ?? []), i]));
        for (const m of byMunicipality.values()) {
          const hidden = m.filter((i) => mask[i]);
          const recoverable = hidden.length === 1 && m.length > 1;
          expect(recoverable).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
