import { lastCompleteQuarter, protectedWindow, quarterDays, quarterOf } from './protected-windows';

describe('windows of protected figures (metrics.md "Protected figures")', () => {
  it('names quarters and their days (hand-worked, a leap year too)', () => {
    expect(quarterOf('2025-09-30')).toBe('2025-Q3');
    expect(quarterOf('2025-10-01')).toBe('2025-Q4');
    expect(quarterDays('2024-Q1')).toEqual({ from: '2024-01-01', to: '2024-03-31' });
    expect(quarterDays('2025-Q4')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
  });

  it("knows the last complete quarter: asOf's own only on its last day", () => {
    expect(lastCompleteQuarter('2026-12-06')).toBe('2026-Q3');
    expect(lastCompleteQuarter('2026-09-30')).toBe('2026-Q3');
    expect(lastCompleteQuarter('2026-01-01')).toBe('2025-Q4');
  });

  it('defaults to the last four complete quarters before asOf (hand-worked across a year)', () => {
    // asOf 6 December 2026: 2026-Q4 has not ended; the four before it are 2025-Q4 .. 2026-Q3.
    expect(protectedWindow(undefined, '2026-12-06')).toEqual({
      kind: 'rolling',
      name: '2025-Q4..2026-Q3',
      quarters: ['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3'],
      from: '2025-10-01',
      to: '2026-09-30',
    });
  });

  it('takes one quarter or one year (its ended quarters only), and refuses a window that has not ended', () => {
    expect(protectedWindow('2025-Q3', '2026-12-06')).toMatchObject({
      kind: 'quarter',
      from: '2025-07-01',
      to: '2025-09-30',
    });
    expect(protectedWindow('2025', '2026-12-06')).toMatchObject({
      kind: 'year',
      quarters: ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4'],
      to: '2025-12-31',
    });
    // 2026 on 6 December: three quarters have ended.
    expect(protectedWindow('2026', '2026-12-06')).toMatchObject({
      quarters: ['2026-Q1', '2026-Q2', '2026-Q3'],
      to: '2026-09-30',
    });
    expect(protectedWindow('2026-Q4', '2026-12-06')).toEqual({
      problem:
        '2026-Q4 has not ended on 2026-12-06: a quarter such as 2025-Q3, a year such as 2025, or left out (the last four complete quarters)',
    });
    expect(protectedWindow('2027', '2026-12-06')).toMatchObject({
      problem: expect.stringContaining('no quarter of 2027'),
    });
  });

  it('refuses every other form, naming the allowed ones', () => {
    for (const bad of ['2025-Q5', '2025-07', '2025-07-01', 'Q3', 'laatste jaar', '20255'])
      expect([bad, protectedWindow(bad, '2026-12-06')]).toEqual([
        bad,
        {
          problem:
            'must be a quarter such as 2025-Q3, a year such as 2025, or left out (the last four complete quarters)',
        },
      ]);
  });

  it("keeps step attainment's window whole: every client must have had withinDays (hand-worked)", () => {
    // asOf 2026-12-06. withinDays 60: clients up to 2026-10-07 had them, so 2026-Q3 (to 09-30) counts:
    // the default stays 2025-Q4..2026-Q3. withinDays 90: up to 2026-09-07 only, inside 2026-Q3: the
    // default ends with 2026-Q2 (2025-Q3..2026-Q2). A chosen 2026-Q3 needs withinDays <= 67
    // (30 September + 67 days = 6 December).
    expect(protectedWindow(undefined, '2026-12-06', 60)).toMatchObject({ name: '2025-Q4..2026-Q3' });
    expect(protectedWindow(undefined, '2026-12-06', 90)).toMatchObject({
      name: '2025-Q3..2026-Q2',
      from: '2025-07-01',
      to: '2026-06-30',
    });
    expect(protectedWindow('2026-Q3', '2026-12-06', 67)).toMatchObject({ kind: 'quarter', name: '2026-Q3' });
    const refused = protectedWindow('2026-Q3', '2026-12-06', 68);
    expect(refused).toMatchObject({ field: 'withinDays' });
    expect((refused as { problem: string }).problem).toMatch(/^must be at most 67 for 2026-Q3/);
    expect(protectedWindow('2026', '2026-12-06', 90)).toMatchObject({ field: 'withinDays' });
    expect(protectedWindow('2025', '2026-12-06', 90)).toMatchObject({ kind: 'year', name: '2025-Q1..2025-Q4' });
  });
});
