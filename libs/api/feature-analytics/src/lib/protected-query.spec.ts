import { checkedAnalyticsQuery } from './analytics-params';
import { isProtectedAnswer, ownCohort, planProtected } from './protected-query';

const TODAY = '2026-12-06';
type Endpoint = Parameters<typeof checkedAnalyticsQuery>[0];
const parse = (endpoint: Endpoint, raw: Record<string, unknown>) => checkedAnalyticsQuery(endpoint, raw, TODAY);
/** The field a 400 names, or null when the plan is made. */
const refused = async (endpoint: Endpoint, raw: Record<string, unknown>) => {
  try {
    planProtected(await parse(endpoint, raw), TODAY);
  } catch (e) {
    return (e as { getResponse(): { details: { field: string }[] } }).getResponse().details[0].field;
  }
  return null;
};

describe('protected answers (metrics.md "Protected figures")', () => {
  // GM0001: the caller's alone (0); GM0002: another organisation's (10); GM0003: shared (15).
  const others = new Map([
    ['GM0001', 0],
    ['GM0002', 10],
    ['GM0003', 15],
  ]);

  it('is protected with any municipality where another organisation is, and with none named (the nation)', async () => {
    const q = async (raw: Record<string, unknown>) => (await parse('dropout', raw)).query;
    expect(isProtectedAnswer(await q({ municipalities: 'GM0001' }), others)).toBe(false);
    expect(isProtectedAnswer(await q({ municipalities: 'GM0001,GM0002' }), others)).toBe(true);
    expect(isProtectedAnswer(await q({ municipalities: 'GM0003' }), others)).toBe(true);
    expect(isProtectedAnswer(await q({}), others)).toBe(true);
    expect(isProtectedAnswer(await q({}), new Map([['GM0001', 0]]))).toBe(false);
  });

  it('resolves the windows as of today: default, quarter, year (hand-worked)', async () => {
    // 6 December 2026: the last complete quarter is 2026-Q3. Dropout: 2025-Q4..2026-Q3. Step
    // attainment within 90 days: clients up to 7 September only, so 2025-Q3..2026-Q2.
    const dropout = planProtected(await parse('dropout', { groupBy: 'period' }), TODAY);
    expect(dropout.query).toMatchObject({
      asOf: TODAY,
      cohortFrom: '2025-10-01',
      cohortTo: '2026-09-30',
      periodUnit: 'quarter',
    });
    const attainment = planProtected(await parse('step-attainment', { step: 'goal_known', withinDays: '90' }), TODAY);
    expect(attainment.window.quarters).toEqual(['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2']);
    const year = planProtected(await parse('support', { cohort: '2025', asOf: TODAY }), TODAY);
    expect([year.query.cohortFrom, year.query.cohortTo, year.window.name]).toEqual([
      '2025-01-01',
      '2025-12-31',
      '2025-Q1..2025-Q4',
    ]);
    // Rows: their municipality, else the one named, else the nation; the total: the nation.
    const one = planProtected(await parse('dropout', { municipalities: 'GM0002', groupBy: 'clientType' }), TODAY);
    expect([one.areaOf({ clientType: 'a' }), one.areaOf(null)]).toEqual(['GM0002', '*']);
  });

  it('refuses every free form, naming the parameter; own answers keep them', async () => {
    expect(await refused('dropout', { cohortFrom: '2025-01-01' })).toBe('cohortFrom');
    expect(await refused('dropout', { cohortTo: '2025-01-01' })).toBe('cohortTo');
    expect(await refused('dropout', { asOf: '2026-12-05' })).toBe('asOf');
    expect(await refused('dropout', { asOf: TODAY })).toBeNull();
    expect(await refused('dropout', { groupBy: 'period', periodUnit: 'month' })).toBe('periodUnit');
    expect(await refused('dropout', { clientTypes: 'a,b' })).toBe('clientTypes');
    expect(await refused('dropout', { clientTypes: 'a' })).toBeNull();
    expect(await refused('response-rate', { sentTo: '2025-01-01' })).toBe('sentTo');
    expect(await refused('dropout', { municipalities: 'GM0001,GM0002' })).toBe('municipalities');
    expect(await refused('dropout', { municipalities: 'GM0001,GM0002', groupBy: 'municipality' })).toBeNull();
    expect(await refused('dropout', { cohort: '2026-Q4' })).toBe('cohort');
    expect(await refused('dropout', { cohort: '2026-13' })).toBe('cohort');
    expect(await refused('step-attainment', { step: 'goal_known', withinDays: '68', cohort: '2026-Q3' })).toBe(
      'withinDays',
    );
    expect(await refused('step-attainment', { step: 'goal_known', withinDays: '67', cohort: '2026-Q3' })).toBeNull();
    // The caller's own: cohort is a shorthand for the dates, and dates stay free.
    expect(ownCohort(await parse('dropout', { cohort: '2025-Q2' }))).toMatchObject({
      cohortFrom: '2025-04-01',
      cohortTo: '2025-06-30',
    });
    expect(ownCohort(await parse('dropout', { cohortFrom: '2025-04-02' })).cohortFrom).toBe('2025-04-02');
  });
});
