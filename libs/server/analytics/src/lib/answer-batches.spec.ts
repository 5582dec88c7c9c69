import { dashboardQueries } from './dashboard-queries';
import { planBatches } from './answers';

describe('planBatches', () => {
  const queries = dashboardQueries('2026-12-06');

  it('puts the dashboards’ 35 questions in 18 scans, every question in exactly one batch', () => {
    const batches = planBatches(queries);
    // experience x 5 items: 1; attainment 5 steps x 2 groupings: 1; time to step 5 x 2: 10 alone;
    // dropout, support, response rate, waiting time (#26) x 2 groupings: 4; the trend's attainment and
    // dropout by month: 2 alone.
    expect(queries).toHaveLength(35);
    expect(batches).toHaveLength(18);
    expect(batches.map((b) => b.kind).sort()).toEqual([
      'groupings',
      'groupings',
      'groupings',
      'groupings',
      'items',
      ...Array(12).fill('single'),
      'steps',
    ]);
    const all = batches.flatMap((b) => b.queries);
    expect(all).toHaveLength(35);
    expect(new Set(all)).toEqual(new Set(queries));
  });

  it('batches only what differs in the batch’s own field', () => {
    const [steps] = planBatches(queries.filter((q) => q.endpoint === 'step-attainment' && q.groupBy[0] !== 'period'));
    expect(steps.kind).toBe('steps');
    expect(steps.queries).toHaveLength(10);
    // Another window, another cohort or a month grouping is another scan.
    const base = steps.queries[0];
    const apart = planBatches([
      base,
      { ...base, withinDays: 90 },
      { ...base, cohortFrom: '2025-01-01' },
      { ...base, groupBy: ['period'] },
      { ...base, step: 'first_contact' },
    ]);
    expect(apart.map((b) => b.kind)).toEqual(['single', 'single', 'single', 'single', 'single']);
    // Experience of two items with other client types is two scans.
    const exp = queries.find((q) => q.endpoint === 'experience')!;
    expect(planBatches([exp, { ...exp, item: 'x', clientTypes: ['kwetsbare'] }]).map((b) => b.kind)).toEqual([
      'single',
      'single',
    ]);
    expect(planBatches([exp, { ...exp, item: 'x' }]).map((b) => b.kind)).toEqual(['items']);
  });

  it('computes time to step alone (its cells per day would multiply)', () => {
    const tts = queries.filter((q) => q.endpoint === 'time-to-step');
    expect(planBatches(tts).every((b) => b.kind === 'single' && b.queries.length === 1)).toBe(true);
  });
});
