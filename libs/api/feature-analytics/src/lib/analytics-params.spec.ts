import { parseAnalyticsQuery } from './analytics-params';

const TODAY = '2026-11-23';
const field = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as { getResponse(): { details: { field: string }[] } }).getResponse().details[0].field;
  }
  return null;
};

describe('analytics parameters', () => {
  it('fills in defaults and puts lists in one canonical order', () => {
    const { query, minCell } = parseAnalyticsQuery(
      'time-to-step',
      {
        step: 'iu_in_view',
        groupBy: 'period,municipality,period',
        days: '30,0,7,7',
        municipalities: 'GM0546,GM0344',
      },
      TODAY,
    );
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

  it('ignores the period unit unless grouped by period, and defaults withinDays per endpoint', () => {
    expect(parseAnalyticsQuery('dropout', { periodUnit: 'quarter' }, TODAY).query.periodUnit).toBe('month');
    expect(parseAnalyticsQuery('dropout', { periodUnit: 'quarter', groupBy: 'period' }, TODAY).query.periodUnit).toBe(
      'quarter',
    );
    expect(parseAnalyticsQuery('dropout', {}, TODAY).query.withinDays).toBeNull();
    expect(parseAnalyticsQuery('step-attainment', { step: 'goal_known' }, TODAY).query.withinDays).toBe(60);
    expect(
      parseAnalyticsQuery('step-attainment', { step: 'goal_known', withinDays: '0' }, TODAY).query.withinDays,
    ).toBe(0);
  });

  it('names the parameter that is wrong', () => {
    expect(field(() => parseAnalyticsQuery('dropout', { asOf: '2026-11-24' }, TODAY))).toBe('asOf');
    expect(field(() => parseAnalyticsQuery('dropout', { withinDays: '3651' }, TODAY))).toBe('withinDays');
    expect(field(() => parseAnalyticsQuery('support', { withinDays: '30' }, TODAY))).toBe('withinDays');
    expect(field(() => parseAnalyticsQuery('dropout', { minCell: '5' }, TODAY))).toBeNull();
    expect(field(() => parseAnalyticsQuery('dropout', { minCell: ['5', '6'] }, TODAY))).toBe('minCell');
    // One limit for the setting and the query (MIN_CELL_MAX): 1000 is the most, as PUT /analytics/settings allows.
    expect(field(() => parseAnalyticsQuery('dropout', { minCell: '1000' }, TODAY))).toBeNull();
    expect(field(() => parseAnalyticsQuery('dropout', { minCell: '1001' }, TODAY))).toBe('minCell');
    expect(field(() => parseAnalyticsQuery('experience', { item: 'Geloof' }, TODAY))).toBe('item');
    expect(field(() => parseAnalyticsQuery('response-rate', { sentTo: '2025-02-30' }, TODAY))).toBe('sentTo');
  });
});
