import { benchmarkFilterParams, benchmarkRequests, BENCHMARK_DEFAULTS, parseBenchmarkFilters } from './benchmark';

describe('benchmark filters in the URL', () => {
  it('round-trips filters through query parameters, leaving defaults out', () => {
    const f = {
      ...BENCHMARK_DEFAULTS,
      cohortFrom: '2026-01-01',
      municipalities: ['GM0193', 'GM0080'],
      withinDays: 90,
      periodUnit: 'quarter' as const,
    };
    const params = benchmarkFilterParams(f);
    expect(params).toEqual({
      cohortFrom: '2026-01-01',
      municipalities: 'GM0193,GM0080',
      withinDays: '90',
      periodUnit: 'quarter',
    });
    expect(parseBenchmarkFilters(params)).toEqual({ filters: f, problems: [] });
    expect(benchmarkFilterParams(BENCHMARK_DEFAULTS)).toEqual({});
  });

  it('reports what it cannot read instead of correcting it', () => {
    const { filters, problems } = parseBenchmarkFilters({
      withinDays: '-5',
      step: 'first_contact',
      asOf: '2026-02-30x',
      municipalities: 'GM0193,Zwolle',
    });
    expect(problems.map((p) => p.field)).toEqual(['asOf', 'municipalities', 'step', 'withinDays']);
    expect(filters).toEqual(BENCHMARK_DEFAULTS);
    expect(
      parseBenchmarkFilters({
        cohortFrom: '2026-05-01',
        cohortTo: '2026-04-01',
      }).problems,
    ).toEqual([{ field: 'cohortFrom', value: '2026-05-01' }]);
  });

  it('asks the chart questions first, then the national tiles, then the own tiles', () => {
    const keys = benchmarkRequests(BENCHMARK_DEFAULTS, ['GM0193'], ['goed_geholpen']).map((r) => r.key);
    expect(keys[0]).toBe('attainment');
    expect(keys).toContain('ladder:goal_known');
    expect(keys).toContain('experience:goed_geholpen');
    expect(keys.slice(-5)).toEqual(['ownBalance', 'ownDropout', 'ownTime', 'ownExperience', 'ownWaiting']);
    expect(keys).toContain('waiting');
    expect(keys).toContain('nationalWaiting');
    const own = benchmarkRequests(BENCHMARK_DEFAULTS, ['GM0193', 'GM0080'], []).find((r) => r.key === 'ownBalance');
    expect(own?.params).toEqual({
      step: 'iu_in_balance',
      withinDays: '60',
      groupBy: 'clientType',
      municipalities: 'GM0193,GM0080',
    });
    expect(benchmarkRequests(BENCHMARK_DEFAULTS, [], []).some((r) => r.key.startsWith('own'))).toBe(false);
  });

  it("asks in windows where other organisations' municipalities are shown, free where only one's own are", () => {
    // GM0080 is another organisation's; GM0193 the caller's own.
    const f = {
      ...BENCHMARK_DEFAULTS,
      cohort: '2025-Q3',
      cohortFrom: '2025-01-01',
      asOf: '2025-12-31',
      municipalities: ['GM0193', 'GM0080'],
    };
    const byKey = (rs: ReturnType<typeof benchmarkRequests>) => new Map(rs.map((r) => [r.key, r.params]));
    const prot = byKey(benchmarkRequests(f, ['GM0193'], [], ['GM0080']));
    // No free dates and no asOf; the window; periods in quarters; per type over the two: the nation.
    expect(prot.get('attainment')).toEqual({
      cohort: '2025-Q3',
      municipalities: 'GM0193,GM0080',
      step: 'iu_in_balance',
      withinDays: '60',
      groupBy: 'municipality',
    });
    expect(prot.get('trendDropout')).toEqual({ cohort: '2025-Q3', groupBy: 'period', periodUnit: 'quarter' });
    expect(prot.get('time')?.['municipalities']).toBeUndefined();
    expect(prot.get('ownDropout')).toEqual({ cohort: '2025-Q3', municipalities: 'GM0193', groupBy: 'clientType' });
    // Only one's own chosen: the dates as typed; the national tiles still in a window (the default).
    const own = byKey(
      benchmarkRequests({ ...f, cohort: null, municipalities: ['GM0193'] }, ['GM0193'], [], ['GM0080']),
    );
    expect(own.get('attainment')).toMatchObject({ cohortFrom: '2025-01-01', asOf: '2025-12-31' });
    expect(own.get('nationalDropout')).toEqual({ groupBy: 'clientType' });
    // An own municipality that another organisation serves too: the own tiles in a window.
    const shared = byKey(
      benchmarkRequests({ ...f, cohort: null, municipalities: ['GM0193'] }, ['GM0193', 'GM0080'], [], ['GM0080']),
    );
    expect(shared.get('ownDropout')).toEqual({
      cohort: 'rolling',
      municipalities: 'GM0193,GM0080',
      groupBy: 'clientType',
    });
    expect(parseBenchmarkFilters({ cohort: '2025-Q3' }).filters.cohort).toBe('2025-Q3');
    expect(parseBenchmarkFilters({ cohort: 'gisteren' }).problems).toEqual([{ field: 'cohort', value: 'gisteren' }]);
  });
});
