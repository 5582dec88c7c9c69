import { cohortOf, type TrajectoryRecord } from './trajectory';
import {
  aalenJohansen,
  incidenceAt,
  medianDays,
  medianInterval,
  timeCell,
  timeToStep,
  timeToStepOutcome,
  suppressTimeToStepAnswer,
} from './time-to-step';

/**
 * Step iu_in_view, asOf 2025-06-30. Outcomes:
 *   T1 fc 01-01, iu_in_view 01-11                             -> step at 10
 *   T2 fc 01-01, only settlement_ready 01-11                  -> step at 10 (monotone closure)
 *   T3 fc 01-01, dropout 01-11                                -> dropout at 10
 *   T4 fc 01-01, iu_in_view 01-21 and dropout 01-21           -> step at 20 (same day counts as the step)
 *   T5 fc 01-01, dropout 01-06, iu_in_view 01-21 after it     -> dropout at 5
 *   T6 fc 06-20, nothing                                      -> censored at days(asOf) = 10
 *   T7 fc 06-01, iu_in_view 07-05 (after asOf)                -> censored at 29
 *   T8 fc 01-01, iu_in_view 01-01                             -> step at 0
 * Aalen-Johansen, n = 8:
 *   t=0:  n=8, d=1, c=0: CIF = 1 * 1/8 = 0.125;             S = 7/8 = 0.875
 *   t=5:  n=7, d=0, c=1: CIF = 0.125, dropout CIF = 0.875 * 1/7 = 0.125; S = 0.875 * 6/7 = 0.75
 *   t=10: n=6 (T1 T2 T3 T4 T6 T7), d=2, c=1: CIF = 0.125 + 0.75 * 2/6 = 0.375,
 *         dropout CIF = 0.125 + 0.75 * 1/6 = 0.25; S = 0.75 * 3/6 = 0.375 (T6 censored at 10 leaves after)
 *   t=20: n=2 (T4 T7), d=1: CIF = 0.375 + 0.375 * 1/2 = 0.5625; S = 0.1875
 *   CIF + dropout CIF + S = 0.5625 + 0.25 + 0.1875 = 1. medianDays = 20 (first CIF >= 0.5).
 * Curve at days 0, 7, 14, 21, 30: 0.125, 0.125, 0.375, 0.5625, 0.5625.
 */
const CASE: TrajectoryRecord[] = [
  {
    municipality: 'GM1',
    firstContact: '2025-01-01',
    steps: { iu_in_view: '2025-01-11' },
  },
  {
    municipality: 'GM1',
    firstContact: '2025-01-01',
    steps: { settlement_ready: '2025-01-11' },
  },
  { municipality: 'GM1', firstContact: '2025-01-01', dropoutOn: '2025-01-11' },
  {
    municipality: 'GM2',
    firstContact: '2025-01-01',
    steps: { iu_in_view: '2025-01-21' },
    dropoutOn: '2025-01-21',
  },
  {
    municipality: 'GM2',
    firstContact: '2025-01-01',
    steps: { iu_in_view: '2025-01-21' },
    dropoutOn: '2025-01-06',
  },
  { municipality: 'GM2', firstContact: '2025-06-20' },
  {
    municipality: 'GM2',
    firstContact: '2025-06-01',
    steps: { iu_in_view: '2025-07-05' },
  },
  {
    municipality: 'GM2',
    firstContact: '2025-01-01',
    steps: { iu_in_view: '2025-01-01' },
  },
];
const ASOF = '2025-06-30';
const cohort = () => cohortOf(CASE, { asOf: ASOF });

describe('time to step with dropout as competing risk (hand-worked case)', () => {
  it('gives each trajectory its time and event', () => {
    expect(cohort().map((t) => timeToStepOutcome(t, 'iu_in_view', ASOF))).toEqual([
      { t: 10, kind: 'step' },
      { t: 10, kind: 'step' },
      { t: 10, kind: 'dropout' },
      { t: 20, kind: 'step' },
      { t: 5, kind: 'dropout' },
      { t: 10, kind: 'censored' },
      { t: 29, kind: 'censored' },
      { t: 0, kind: 'step' },
    ]);
  });

  it('computes the Aalen-Johansen curve, its median and the requested days', () => {
    const cells = cohort().map((t) => timeCell(t, 'iu_in_view', ASOF));
    const curve = aalenJohansen(cells);
    expect(curve.times).toEqual([0, 5, 10, 20]);
    expect(curve.cif).toEqual([0.125, 0.125, 0.375, 0.5625]);
    expect(curve.dropoutCif).toEqual([0, 0.125, 0.25, 0.25]);
    expect(medianDays(curve)).toBe(20);
    const { total } = timeToStep(cells, { groupBy: [], periodUnit: 'month' }, [0, 7, 14, 21, 30]);
    expect(total.n).toBe(8);
    expect(total.curve?.map((p) => p.cif)).toEqual([0.125, 0.125, 0.375, 0.5625, 0.5625]);
    expect([0, 7, 14, 21, 30].map((d) => incidenceAt(curve, d).dropoutCif)).toEqual([0, 0.125, 0.25, 0.25, 0.25]);
  });

  it('computes each group on its own and leaves medianDays null below 0.5', () => {
    /*
     * GM1: T1 step 10, T2 step 10, T3 dropout 10: n=3; t=10: CIF = 2/3, median 10.
     * GM2: T8 step 0, T5 dropout 5, T6 censored 10, T4 step 20, T7 censored 29 (n=5):
     *   t=0: CIF = 1/5 = 0.2, S = 0.8; t=5: n=4, c=1: S = 0.6; t=20: n=2 (T4 T7): CIF = 0.2 + 0.6 * 1/2 = 0.5 -> median 20.
     */
    const cells = cohort().map((t) => timeCell(t, 'iu_in_view', ASOF));
    const { rows } = timeToStep(cells, { groupBy: ['municipality'], periodUnit: 'month' }, [10, 19, 20]);
    expect(rows[0]).toMatchObject({
      municipality: 'GM1',
      n: 3,
      medianDays: 10,
    });
    expect(rows[0].curve?.[0].cif).toBeCloseTo(2 / 3, 15);
    expect(rows[1]).toMatchObject({
      municipality: 'GM2',
      n: 5,
      medianDays: 20,
    });
    expect(rows[1].curve?.map((p) => p.cif)).toEqual([0.2, 0.2, 0.5]);
    // Without T4 nobody in GM2 reaches the step after day 0: CIF stays 0.2, no median.
    const noT4 = cells.filter((_, i) => i !== 3);
    expect(timeToStep(noT4, { groupBy: ['municipality'], periodUnit: 'month' }).rows[1].medianDays).toBeNull();
    const s = suppressTimeToStepAnswer(timeToStep(cells, { groupBy: ['municipality'], periodUnit: 'month' }), () => 5);
    // GM1 (n 3 < 5) is hidden; GM2 (n 5) alone would then give GM1 as total 8 - 5 = 3, so the
    // margin's smallest other row, GM2, is hidden too (secondary suppression). No n on either.
    expect(s.rows.map((r) => [r.n, r.suppressed, r.curve === null])).toEqual([
      [null, true, true],
      [null, true, true],
    ]);
    expect(s.total).toMatchObject({ n: 8, suppressed: false });
  });

  it('takes the day the CIF lands exactly on 1/2 as the median, whatever the float sum says', () => {
    /*
     * Ten trajectories, first contact 2025-01-01, asOf 2025-06-30, nobody censored before day 10:
     * one reaches the step on each of days 1..10. Before the first censoring the CIF is a count
     * over n: CIF(t) = t/10, so CIF(5) = 5/10 = 1/2 exactly and medianDays = 5.
     * The estimator's float sum: 1/10 + (9/10)(1/9) + (8/10)(1/8) + (7/10)(1/7) + (6/10)(1/6)
     * = 0.49999999999999994 in binary floating point, below 0.5: without the tolerance the
     * median would be one event late (day 6).
     */
    const cells = Array.from({ length: 10 }, (_, i) =>
      timeCell(
        cohortOf(
          [
            {
              municipality: 'GM1',
              firstContact: '2025-01-01',
              steps: {
                iu_in_view: `2025-01-${String(i + 2).padStart(2, '0')}`,
              },
            },
          ],
          { asOf: ASOF },
        )[0],
        'iu_in_view',
        ASOF,
      ),
    );
    const curve = aalenJohansen(cells);
    expect(curve.times).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(curve.cif[4]).toBeLessThan(0.5); // the float sum lands just below 1/2
    expect(curve.cif[4]).toBeCloseTo(0.5, 12);
    expect(medianDays(curve)).toBe(5);
    // Just below 1/2 beyond the tolerance is not the median: 4 of 10 is.
    expect(
      medianDays({
        ...curve,
        cif: curve.cif.map((c, j) => (j === 4 ? 0.5 - 1e-8 : c)),
      }),
    ).toBe(6);
  });

  it("gives the curve's standard error by the delta method (hand-worked; without censoring it is the binomial one)", () => {
    // 4 trajectories: a step on day 1, a dropout on day 2, steps on days 3 and 4; nobody censored.
    // F: 0.25 (day 1), 0.25 (day 2), 0.5 (day 3), 0.75 (day 4); S before each: 1, 3/4, 1/2, 1/4.
    // Var F(3) = sum a_j (F - F_j)^2 + sum b_j - 2 sum c_j (F - F_j), with a_j = d_j / (n_j (n_j - d_j)),
    // b_j = S_{j-1}^2 d1_j (n_j - d1_j) / n_j^3, c_j = S_{j-1} d1_j / n_j^2:
    //   a-part: (0.25)^2 / 12 + (0.25)^2 / 6 + 0 = 0.015625
    //   b-part: 1 * 3 / 64 + 0 + (1/4) * 1 / 8 = 0.078125
    //   c-part: -2 * (0.25 * 1/16 + 0 + 0) = -0.03125
    //   = 0.0625: se 0.25, the binomial sqrt(0.5 * 0.5 / 4).
    const curve = aalenJohansen([
      { t: 1, steps: 1, dropouts: 0, censored: 0 },
      { t: 2, steps: 0, dropouts: 1, censored: 0 },
      { t: 3, steps: 1, dropouts: 0, censored: 0 },
      { t: 4, steps: 1, dropouts: 0, censored: 0 },
    ]);
    expect(curve.se[2]).toBeCloseTo(0.25, 12);
    // Day 4 (the last: everyone at risk had an event, a_4 weighs nothing): sqrt(0.75 * 0.25 / 4).
    expect(curve.se[3]).toBeCloseTo(Math.sqrt(0.046875), 12);
    expect(curve.se[0]).toBeCloseTo(Math.sqrt((0.25 * 0.75) / 4), 12);
  });

  it("gives the median's 95% interval where the curve's bounds reach 1/2, or null beyond the followed period (hand-worked)", () => {
    // 10 trajectories: one step on each of days 1..8, two censored on day 9. Before day 9 nobody is
    // censored, so F(j) = j / 10 and se = sqrt(F (1 - F) / 10). Median: day 5 (F = 0.5).
    // Low: F + 1.96 se >= 0.5 first on day 3 (0.3 + 1.959964 * 0.144914 = 0.584; day 2: 0.2 + 0.247929 = 0.448).
    // High: F - 1.96 se >= 0.5 first on day 8 (0.8 - 0.247929 = 0.552; day 7: 0.7 - 0.284027 = 0.416).
    const ten = aalenJohansen([
      ...Array.from({ length: 8 }, (_, i) => ({ t: i + 1, steps: 1, dropouts: 0, censored: 0 })),
      { t: 9, steps: 0, dropouts: 0, censored: 2 },
    ]);
    expect(medianDays(ten)).toBe(5);
    expect(medianInterval(ten)).toEqual({ low: 3, high: 8 });
    // The 4 of the case above: median day 3; low day 1 (0.25 + 1.96 * 0.2165 = 0.674); the lower bound
    // never reaches 1/2 (day 4: 0.75 - 1.96 * 0.2165 = 0.326): high is null.
    const four = aalenJohansen([
      { t: 1, steps: 1, dropouts: 0, censored: 0 },
      { t: 2, steps: 0, dropouts: 1, censored: 0 },
      { t: 3, steps: 1, dropouts: 0, censored: 0 },
      { t: 4, steps: 1, dropouts: 0, censored: 0 },
    ]);
    expect(medianInterval(four)).toEqual({ low: 1, high: null });
  });
});
