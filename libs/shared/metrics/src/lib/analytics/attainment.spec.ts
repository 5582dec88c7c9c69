import { cohortOf, type TrajectoryRecord } from './trajectory';
import {
  attainmentCell,
  stepAttainment,
  suppressAttainmentAnswer,
  type AttainmentCell,
} from './attainment';

/**
 * asOf 2025-06-30, step iu_in_balance, D = 60. Hand-worked:
 *   A GM1 fc 01-01, iu_in_balance 02-15 (day 45)                     -> reached   type zelf (assessed 01-05)
 *   B GM1 fc 01-01, only settlement_ready 02-20: eff(iu_in_balance) = 02-20 (day 50, unrecorded
 *         intermediate step)                                          -> reached   type zelf
 *   C GM1 fc 01-01, iu_in_balance 03-15 (day 73 > 60)               -> not       type kwetsbaar (assessed 01-31 = fc + 30: counts)
 *   D GM1 fc 01-10, iu_in_balance 03-11 (21 + 28 + 11 = day 60 <= 60) -> reached  unknown (assessed 02-10 = fc + 31: too late)
 *   E GM1 fc 05-15: fc + 60 = 07-14 > asOf                           -> not eligible
 *   F GM2 fc 02-01, dropout 02-10, no step                           -> not       type kwetsbaar (assessed 01-20, before fc: counts)
 *   G GM2 fc 02-01, iu_in_balance 03-01 (day 28), dropout 03-20 after -> reached  type zelf (re-assessed kwetsbaar 06-01: earliest counts)
 *   H GM2 fc 02-01, iu_in_balance 07-05 (after asOf: ignored)        -> not       type zelf
 *   I GM2 fc 07-01 (after asOf)                                       -> left out entirely
 *   J GM2 fc 03-01, iu_in_balance 03-01 (day 0)                      -> reached   unknown (no assessment)
 * eligible 8 (A B C D F G H J), reached 5 (A B D G J): share 5/8 = 0.625.
 * Wilson, z = 1.959964, z^2 = 3.841459: z^2/n = 0.480182, centre = (0.625 + 0.240091) / 1.480182 = 0.584451,
 *   half = 1.959964 / 1.480182 * sqrt(0.625 * 0.375 / 8 + 3.841459 / 256) = 1.324137 * 0.210482 = 0.278707
 *   -> [0.305744, 0.863158].
 * By municipality: GM1 4 eligible, 3 reached; GM2 4 eligible, 2 reached.
 * Reference shares by type (all rows): zelf A B G H: 3/4 = 0.75; kwetsbaar C F: 0/2 = 0; unknown D J: 2/2 = 1.
 *   expected GM1 = 2 zelf * 0.75 + 1 kwetsbaar * 0 + 1 unknown * 1 = 2.5, oe = 3 / 2.5 = 1.2
 *   expected GM2 = 2 zelf * 0.75 + 1 kwetsbaar * 0 + 1 unknown * 1 = 2.5, oe = 2 / 2.5 = 0.8
 */
export const ATTAINMENT_CASE: TrajectoryRecord[] = [
  {
    municipality: 'GM1',
    firstContact: '2025-01-01',
    steps: { iu_in_balance: '2025-02-15' },
    assessments: [{ assessedOn: '2025-01-05', clientType: 'zelf' }],
  },
  {
    municipality: 'GM1',
    firstContact: '2025-01-01',
    steps: { settlement_ready: '2025-02-20' },
    assessments: [{ assessedOn: '2025-01-02', clientType: 'zelf' }],
  },
  {
    municipality: 'GM1',
    firstContact: '2025-01-01',
    steps: { iu_in_balance: '2025-03-15' },
    assessments: [{ assessedOn: '2025-01-31', clientType: 'kwetsbaar' }],
  },
  {
    municipality: 'GM1',
    firstContact: '2025-01-10',
    steps: { iu_in_balance: '2025-03-11' },
    assessments: [{ assessedOn: '2025-02-10', clientType: 'zelf' }],
  },
  {
    municipality: 'GM1',
    firstContact: '2025-05-15',
    steps: { iu_in_balance: '2025-05-20' },
  },
  {
    municipality: 'GM2',
    firstContact: '2025-02-01',
    dropoutOn: '2025-02-10',
    assessments: [{ assessedOn: '2025-01-20', clientType: 'kwetsbaar' }],
  },
  {
    municipality: 'GM2',
    firstContact: '2025-02-01',
    steps: { iu_in_balance: '2025-03-01' },
    dropoutOn: '2025-03-20',
    assessments: [
      { assessedOn: '2025-06-01', clientType: 'kwetsbaar' },
      { assessedOn: '2025-02-02', clientType: 'zelf' },
    ],
  },
  {
    municipality: 'GM2',
    firstContact: '2025-02-01',
    steps: { iu_in_balance: '2025-07-05' },
    assessments: [{ assessedOn: '2025-02-01', clientType: 'zelf' }],
  },
  {
    municipality: 'GM2',
    firstContact: '2025-07-01',
    steps: { iu_in_balance: '2025-07-01' },
  },
  {
    municipality: 'GM2',
    firstContact: '2025-03-01',
    steps: { iu_in_balance: '2025-03-01' },
  },
];

const ASOF = '2025-06-30';
const cells = (
  records: TrajectoryRecord[],
  withinDays = 60,
  step = 'iu_in_balance' as const,
) =>
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
    expect(byQuarter.map((r) => [r.period, r.eligible, r.reached])).toEqual([
      ['2025-Q1', 8, 5],
    ]);
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
    const at5 = suppressAttainmentAnswer(raw, (row) => (row ? 5 : 5));
    expect(at5.rows[0]).toEqual({
      municipality: 'GM1',
      eligible: 4,
      reached: null,
      share: null,
      ciLow: null,
      ciHigh: null,
      expected: null,
      oe: null,
      suppressed: true,
    });
    expect(at5.total.suppressed).toBe(false);
  });
});
