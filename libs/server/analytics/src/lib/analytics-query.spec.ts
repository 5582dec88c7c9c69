import { cacheKey, type AnalyticsQuery } from './analytics-query';

const q: AnalyticsQuery = {
  endpoint: 'dropout',
  asOf: '2025-06-30',
  cohortFrom: null,
  cohortTo: null,
  municipalities: null,
  clientTypes: null,
  groupBy: ['municipality'],
  periodUnit: 'month',
};

describe('cache key', () => {
  it('is the same for the same question, whatever the key order or absent defaults', () => {
    const reordered = {
      periodUnit: 'month',
      groupBy: ['municipality'],
      asOf: '2025-06-30',
      endpoint: 'dropout',
      withinDays: null,
    } as unknown as AnalyticsQuery;
    expect(cacheKey(reordered)).toBe(cacheKey(q));
  });

  it('differs when any part of the question differs', () => {
    expect(cacheKey({ ...q, withinDays: 30 })).not.toBe(cacheKey(q));
    expect(cacheKey({ ...q, asOf: '2025-07-01' })).not.toBe(cacheKey(q));
    expect(cacheKey({ ...q, municipalities: ['GM0344'] })).not.toBe(cacheKey(q));
    expect(cacheKey({ ...q, endpoint: 'support' }).startsWith('support:')).toBe(true);
  });
});
