import { checkedAnalyticsQuery } from './analytics-params';

const TODAY = '2026-11-23';
type Endpoint = Parameters<typeof checkedAnalyticsQuery>[0];
const parse = (endpoint: Endpoint, raw: Record<string, unknown>) => checkedAnalyticsQuery(endpoint, raw, TODAY);
const field = async (endpoint: Endpoint, raw: Record<string, unknown>) => {
  try {
    await parse(endpoint, raw);
  } catch (e) {
    return (e as { getResponse(): { details: { field: string }[] } }).getResponse().details[0].field;
  }
  return null;
};

describe('analytics parameters (DTO and conversion)', () => {
  it('fills in defaults and puts lists in one canonical order', async () => {
    const { query, minCell } = await parse('time-to-step', {
      step: 'iu_in_view',
      groupBy: 'period,municipality,period',
      days: '30,0,7,7',
      municipalities: 'GM0546,GM0344',
    });
    expect(query).toEqual({
      endpoint: 'time-to-step',
      asOf: TODAY,
      cohortFrom: null,
      cohortTo: null,
      municipalities: ['GM0344', 'GM0546'],
      clientTypes: null,
      groupBy: ['municipality', 'period'],
      periodUnit: 'month',
      step: 'iu_in_view',
      days: [0, 7, 30],
    });
    expect(minCell).toBeNull(); // the organisation's setting applies
  });

  it('ignores the period unit unless grouped by period, and defaults withinDays per endpoint', async () => {
    expect((await parse('dropout', { periodUnit: 'quarter' })).query.periodUnit).toBe('month');
    expect((await parse('dropout', { periodUnit: 'quarter', groupBy: 'period' })).query.periodUnit).toBe('quarter');
    expect((await parse('dropout', {})).query.withinDays).toBeNull();
    expect((await parse('step-attainment', { step: 'goal_known' })).query.withinDays).toBe(60);
    expect((await parse('step-attainment', { step: 'goal_known', withinDays: '0' })).query.withinDays).toBe(0);
    // An empty parameter is an absent one (the dashboard sends cohortFrom= when the field is empty).
    expect((await parse('dropout', { cohortFrom: '', municipalities: '' })).query).toMatchObject({
      cohortFrom: null,
      municipalities: null,
    });
  });

  it('names the parameter that is wrong', async () => {
    expect(await field('dropout', { asOf: '2026-11-24' })).toBe('asOf');
    expect(await field('dropout', { withinDays: '3651' })).toBe('withinDays');
    expect(await field('support', { withinDays: '30' })).toBe('withinDays');
    expect(await field('dropout', { minCell: '5' })).toBeNull();
    expect(await field('dropout', { minCell: ['5', '6'] })).toBe('minCell');
    // One limit for the setting and the query (MIN_CELL_MAX): 1000 is the most, as PUT /analytics/settings allows.
    expect(await field('dropout', { minCell: '1000' })).toBeNull();
    expect(await field('dropout', { minCell: '1001' })).toBe('minCell');
    expect(await field('experience', { item: 'Geloof' })).toBe('item');
    expect(await field('response-rate', { sentTo: '2025-02-30' })).toBe('sentTo');
    // Repeated lists are refused, not merged; days is checked item by item up to 3650.
    expect(await field('dropout', { municipalities: ['GM0344', 'GM0363'] })).toBe('municipalities');
    expect(await field('time-to-step', { step: 'goal_known', days: '3650' })).toBeNull();
    expect(await field('time-to-step', { step: 'goal_known', days: '0,3651' })).toBe('days');
    expect(await field('time-to-step', { step: 'goal_known', days: '1,x' })).toBe('days');
  });
});
