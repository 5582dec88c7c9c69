import { cohortOf, type TrajectoryRecord } from './trajectory';
import { dropout, dropoutCell, suppressDropoutAnswer, type DropoutCell } from './dropout';

/**
 * asOf 2025-06-30, all in GM1. Hand-worked:
 *   P1 fc 01-01, dropout 01-01 (day 0)                                   -> dropped, phase first_contact
 *   P2 fc 01-01, goal_known 01-10, dropout 01-10 (same day as the step)  -> dropped, phase goal_known (eff <= dropout)
 *   P3 fc 01-01, only iu_in_view 02-01 (unrecorded steps before it), dropout 03-01 (day 59) -> phase iu_in_view
 *   P4 fc 01-01, dropout 07-15 (after asOf)                              -> not dropped
 *   P5 fc 01-01, no dropout                                              -> not dropped
 *   P6 fc 06-01, dropout 06-20 (day 19)                                  -> dropped, phase first_contact
 *   P7 fc 01-01, goal_known 07-01 (after asOf), dropout 05-01 (day 120)  -> dropped, phase first_contact
 * n 7, dropped 5 (P1 P2 P3 P6 P7), share 5/7; byPhase first_contact 3, goal_known 1, iu_in_view 1;
 * moment of truth 3/5 = 0.6.
 * withinDays 30: eligible fc + 30 <= 06-30, i.e. fc <= 05-31: P1 P2 P3 P4 P5 P7 = 6;
 * dropped within 30 days: P1 (0), P2 (9) = 2 (P3 at 59 and P7 at 120 are later); byPhase first_contact 1, goal_known 1.
 */
const CASE: TrajectoryRecord[] = [
  { municipality: 'GM1', firstContact: '2025-01-01', dropoutOn: '2025-01-01' },
  {
    municipality: 'GM1',
    firstContact: '2025-01-01',
    steps: { goal_known: '2025-01-10' },
    dropoutOn: '2025-01-10',
  },
  {
    municipality: 'GM1',
    firstContact: '2025-01-01',
    steps: { iu_in_view: '2025-02-01' },
    dropoutOn: '2025-03-01',
  },
  { municipality: 'GM1', firstContact: '2025-01-01', dropoutOn: '2025-07-15' },
  { municipality: 'GM1', firstContact: '2025-01-01' },
  { municipality: 'GM1', firstContact: '2025-06-01', dropoutOn: '2025-06-20' },
  {
    municipality: 'GM1',
    firstContact: '2025-01-01',
    steps: { goal_known: '2025-07-01' },
    dropoutOn: '2025-05-01',
  },
];
const ASOF = '2025-06-30';
const cells = (withinDays?: number) =>
  cohortOf(CASE, { asOf: ASOF })
    .map((t) => dropoutCell(t, ASOF, withinDays))
    .filter((c): c is DropoutCell => c !== null);

describe('dropout (hand-worked case)', () => {
  it('counts dropouts on or before asOf and their phases', () => {
    const { total } = dropout(cells(), { groupBy: [], periodUnit: 'month' });
    expect([total.n, total.dropped]).toEqual([7, 5]);
    expect(total.share).toBeCloseTo(5 / 7, 15);
    expect(total.byPhase).toEqual({
      first_contact: 3,
      goal_known: 1,
      approach_set: 0,
      iu_in_view: 1,
      iu_in_balance: 0,
      settlement_ready: 0,
    });
    expect(total.momentOfTruth).toBeCloseTo(0.6, 15);
  });

  it('restricts to complete windows with withinDays', () => {
    const { total } = dropout(cells(30), { groupBy: [], periodUnit: 'month' });
    expect([total.n, total.dropped]).toEqual([6, 2]);
    expect(total.byPhase).toEqual({
      first_contact: 1,
      goal_known: 1,
      approach_set: 0,
      iu_in_view: 0,
      iu_in_balance: 0,
      settlement_ready: 0,
    });
    expect(total.momentOfTruth).toBe(0.5);
  });

  it('suppresses under minCell with no n, and the only other row of the margin with it', () => {
    const raw = dropout(cells(), { groupBy: ['period'], periodUnit: 'month' });
    // Jan: P1 P2 P3 P4 P5 P7 = 6 (4 dropped); Jun: P6 = 1.
    expect(raw.rows.map((r) => [r.period, r.n, r.dropped])).toEqual([
      ['2025-01', 6, 4],
      ['2025-06', 1, 1],
    ]);
    // minCell 6: Jun (n 1) is hidden. Jan alone would give Jun away (total 7 - 6 = 1, dropped
    // 5 - 4 = 1), so Jan is hidden too: the margin (all rows against the total) has 0 or >= 2.
    const s = suppressDropoutAnswer(raw, () => 6);
    for (const r of s.rows)
      expect(r).toMatchObject({ n: null, dropped: null, byPhase: null, momentOfTruth: null, suppressed: true });
    expect(s.total).toMatchObject({ n: 7, dropped: 5, suppressed: false });
    // minCell 1: nothing is hidden.
    expect(suppressDropoutAnswer(raw, () => 1).rows.map((r) => r.suppressed)).toEqual([false, false]);
  });
});
