import { cohortOf, type TrajectoryRecord } from './trajectory';
import { ATTAINMENT_CASE } from './hand-cases';
import { attainmentCell, stepAttainment, suppressAttainmentAnswer, type AttainmentCell } from './attainment';

const ASOF = '2025-06-30';
const cells = (records: TrajectoryRecord[], withinDays = 60, step = 'iu_in_balance' as const) =>
  cohortOf(records, { asOf: ASOF })
    .map((t) => attainmentCell(t, step, withinDays, ASOF))
    .filter((c): c is AttainmentCell => c !== null);

describe('step attainment (hand-worked case)', () => {
  it('counts eligible and reached over everything, with the Wilson interval', () => {
    const { total } = stepAttainment(cells(ATTAINMENT_CASE), {
      groupBy: [],
      periodUnit: 'month',
    });
    expect(total.eligible).toBe(8);
    expect(total.reached).toBe(5);
    expect(total.share).toBe(0.625);
    expect(total.ciLow).toBeCloseTo(0.305744, 5);
    expect(total.ciHigh).toBeCloseTo(0.863158, 5);
  });

  it('adjusts for case mix when grouped by municipality', () => {
    const { rows } = stepAttainment(cells(ATTAINMENT_CASE), {
      groupBy: ['municipality'],
      periodUnit: 'month',
    });
    expect(rows.map((r) => [r.municipality, r.eligible, r.reached])).toEqual([
      ['GM1', 4, 3],
      ['GM2', 4, 2],
    ]);
    expect(rows[0].expected).toBeCloseTo(2.5, 12);
    expect(rows[0].oe).toBeCloseTo(1.2, 12);
    expect(rows[1].expected).toBeCloseTo(2.5, 12);
    expect(rows[1].oe).toBeCloseTo(0.8, 12);
  });

  it('gives the intake types: on-time, earliest, before first contact, late is unknown', () => {
    const { rows } = stepAttainment(cells(ATTAINMENT_CASE), {
      groupBy: ['clientType'],
      periodUnit: 'month',
    });
    expect(rows.map((r) => [r.clientType, r.eligible, r.reached])).toEqual([
      ['kwetsbaar', 2, 0],
      ['unknown', 2, 2],
      ['zelf', 4, 3],
    ]);
    expect(rows[0].expected).toBeUndefined();
  });

  it('groups by month and by quarter of first contact', () => {
    // Jan: A B C D (3 reached); Feb: F G H (1); Mar: J (1). Q1 = all 8.
    const byMonth = stepAttainment(cells(ATTAINMENT_CASE), {
      groupBy: ['period'],
      periodUnit: 'month',
    }).rows;
    expect(byMonth.map((r) => [r.period, r.eligible, r.reached])).toEqual([
      ['2025-01', 4, 3],
      ['2025-02', 3, 1],
      ['2025-03', 1, 1],
    ]);
    const byQuarter = stepAttainment(cells(ATTAINMENT_CASE), {
      groupBy: ['period'],
      periodUnit: 'quarter',
    }).rows;
    expect(byQuarter.map((r) => [r.period, r.eligible, r.reached])).toEqual([['2025-Q1', 8, 5]]);
  });

  it('counts a step on day 0 as reached within 0 days, and the window edge exactly', () => {
    // D = 0: eligible = fc <= asOf: A B C D E F G H J = 9; reached on day 0: J only.
    const zero = stepAttainment(cells(ATTAINMENT_CASE, 0), {
      groupBy: [],
      periodUnit: 'month',
    }).total;
    expect([zero.eligible, zero.reached]).toEqual([9, 1]);
    // D = 59: D (day 60) drops out of reached: A B G J = 4 of 8.
    const d59 = stepAttainment(cells(ATTAINMENT_CASE, 59), {
      groupBy: [],
      periodUnit: 'month',
    }).total;
    expect([d59.eligible, d59.reached]).toEqual([8, 4]);
  });

  it('suppresses rows under minCell and keeps them at minCell', () => {
    const raw = stepAttainment(cells(ATTAINMENT_CASE), {
      groupBy: ['municipality'],
      periodUnit: 'month',
    });
    const at4 = suppressAttainmentAnswer(raw, () => 4);
    expect(at4.rows.every((r) => !r.suppressed && r.share !== null)).toBe(true);
    // GM1 and GM2 both have 4 eligible (< 5): both hidden, with no denominator; the total (8) shows.
    const at5 = suppressAttainmentAnswer(raw, (row) => (row ? 5 : 5));
    expect(at5.rows[0]).toEqual({
      municipality: 'GM1',
      eligible: null,
      reached: null,
      share: null,
      ciLow: null,
      ciHigh: null,
      expected: null,
      oe: null,
      suppressed: true,
    });
    expect(at5.rows[1]).toMatchObject({ municipality: 'GM2', eligible: null, suppressed: true });
    expect(at5.total.suppressed).toBe(false);
  });
});
