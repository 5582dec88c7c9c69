import { firstMeetingDue } from '@klantmonitor/shared/domain';
import {
  suppressWaitingTime,
  suppressWaitingTimeAnswer,
  waitingCell,
  waitingTime,
  type RequestFact,
} from './waiting-time';

/**
 * Waiting time by hand (docs/metrics.md "Waiting time and the legal first-meeting term").
 * asOf = 2026-03-31.
 *   A  GM1  registered Mon 2026-01-05, seen 2026-01-12    t = 7   due 2026-02-02 (+28) passed, met
 *   B  GM1  registered Mon 2026-01-05, seen 2026-02-09    t = 35  due 2026-02-02 passed, not met
 *   C  GM1  registered Sat 2026-01-10, crisis, seen 01-14 t = 4   due Wed 2026-01-14 (Mon 1, Tue 2, Wed 3) passed, met
 *   D  GM2  registered 2026-03-20, not seen               t = 11 (censored)  due 2026-04-17 not passed
 *   E  GM2  registered 2026-01-20, not seen               t = 70 (censored: 11 + 28 + 31)  due 2026-02-17 passed, not met
 * Kaplan-Meier over all five: t=4 at risk 5, one seen: S = 4/5, share seen 0.2; t=7 at risk 4: S = 0.6,
 * 0.4; t=11 D leaves (censored); t=35 at risk 2: S = 0.3, share 0.7 -> median 35 days. seen 3.
 * termDue = A, B, C, E = 4; termMet = A, C = 2; withinTerm 0.5, Wilson(2, 4): centre 0.5, half
 * (1.959964 / 1.96039) * sqrt(0.0625 + 3.84146 / 64) = 0.34996 -> 0.1500 .. 0.8500. crisisShare 1/5.
 * GM1: t 4, 7, 35 all seen -> 1/3, 2/3 at day 7: median 7; termDue 3, met 2 -> 2/3. GM2: nobody seen
 * -> median null; termDue 1 (E), met 0 -> 0; crisisShare 0.
 */
const ASOF = '2026-03-31';
const req = (municipality: string, registeredOn: string, firstContact: string | null, crisis = false): RequestFact => ({
  municipality,
  clientType: null,
  month: null,
  registeredOn,
  firstContact,
  crisis,
  dueOn: firstMeetingDue(registeredOn, crisis ? 'eviction' : null),
});
const REQUESTS = [
  req('GM1', '2026-01-05', '2026-01-12'),
  req('GM1', '2026-01-05', '2026-02-09'),
  req('GM1', '2026-01-10', '2026-01-14', true),
  req('GM2', '2026-03-20', null),
  req('GM2', '2026-01-20', null),
];

describe('waiting time (by hand)', () => {
  const cells = REQUESTS.map((r) => waitingCell(r, ASOF));

  it('makes one cell per request: the wait, seen or censored, and the term', () => {
    expect(cells.map((c) => [c.t, c.seen, c.censored, c.termDue, c.termMet, c.crisis])).toEqual([
      [7, 1, 0, 1, 1, 0],
      [35, 1, 0, 1, 0, 0],
      [4, 1, 0, 1, 1, 1],
      [11, 0, 1, 0, 0, 0],
      [70, 0, 1, 1, 0, 0],
    ]);
    expect(REQUESTS[2].dueOn).toBe('2026-01-14');
  });

  it('the total: median 35 days, 2 of 4 passed terms met, a fifth in crisis', () => {
    const { total } = waitingTime(cells, { groupBy: [], periodUnit: 'month' });
    expect(total).toMatchObject({ n: 5, seen: 3, medianDays: 35, termDue: 4, termMet: 2, withinTerm: 0.5 });
    expect(total.withinTermCiLow).toBeCloseTo(0.15, 3);
    expect(total.withinTermCiHigh).toBeCloseTo(0.85, 3);
    expect(total.crisisShare).toBeCloseTo(0.2, 12);
    // The interval of the median: the curve's bounds reach 1/2 at or before / after the median (or never).
    expect(total.medianCiLow).not.toBeNull();
    expect(total.medianCiLow as number).toBeLessThanOrEqual(35);
  });

  it('per municipality: GM1 median 7 and 2/3 within the term; GM2 nobody seen yet', () => {
    const { rows } = waitingTime(cells, { groupBy: ['municipality'], periodUnit: 'month' });
    const byMuni = Object.fromEntries(rows.map((r) => [r.municipality, r]));
    expect(byMuni['GM1']).toMatchObject({ n: 3, seen: 3, medianDays: 7, termDue: 3, termMet: 2, crisisShare: 1 / 3 });
    expect(byMuni['GM1'].withinTerm).toBeCloseTo(2 / 3, 12);
    expect(byMuni['GM2']).toMatchObject({
      n: 2,
      seen: 0,
      medianDays: null,
      termDue: 1,
      termMet: 0,
      withinTerm: 0,
      crisisShare: 0,
    });
  });

  it('a request whose term has not passed stays out of withinTerm, also when it was seen', () => {
    // Registered 2026-03-25, seen 03-27: seen, but due 04-22 is after asOf.
    const c = waitingCell(req('GM1', '2026-03-25', '2026-03-27'), ASOF);
    expect(c).toMatchObject({ t: 2, seen: 1, termDue: 0, termMet: 0 });
    // A first contact after asOf is not seen yet: censored at asOf.
    expect(waitingCell(req('GM1', '2026-03-01', '2026-04-02'), ASOF)).toMatchObject({ t: 30, seen: 0, censored: 1 });
  });

  it('suppression: fewer than minCell requests hides the row; fewer passed terms hide only the term figures', () => {
    const { rows, total } = waitingTime(cells, { groupBy: ['municipality'], periodUnit: 'month' });
    const gm1 = rows.find((r) => r.municipality === 'GM1');
    expect(suppressWaitingTime(gm1!, 4)).toMatchObject({
      suppressed: true,
      n: null,
      medianDays: null,
      withinTerm: null,
    });
    expect(suppressWaitingTime(total, 5)).toMatchObject({
      suppressed: false,
      n: 5,
      medianDays: 35,
      termDue: 4,
      termMet: null,
      withinTerm: null,
      withinTermCiLow: null,
    });
    // GM2 (2) below 3, GM1 (3) not: one hidden row in the margin hides the other too.
    const s = suppressWaitingTimeAnswer({ rows, total }, () => 3);
    expect(s.rows.map((r) => r.suppressed)).toEqual([true, true]);
    expect(s.total.suppressed).toBe(false);
  });
});
