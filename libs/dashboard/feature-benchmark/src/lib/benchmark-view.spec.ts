import type { Answer } from '@klantmonitor/dashboard/data-access';
import { benchmarkTiles as tiles } from '@klantmonitor/dashboard/ui-charts';
import { funnel, municipalityBars } from './benchmark-view';

const tr = (key: string, p?: Record<string, unknown>) => (p ? `${key}:${JSON.stringify(p)}` : key);
const names = new Map([
  ['GM1', 'Een'],
  ['GM2', 'Twee'],
  ['GM3', 'Drie'],
]);

/*
 * Three municipalities: GM1 0,6 of 100, GM2 suppressed (5 eligible), GM3 0,3 of 100; total 0,45 of 205.
 * Bars: highest share first, the suppressed row last with a null value (drawn hatched, never 0).
 * Funnel with p0 = 0,45: se at n = 100 is sqrt(0,45 * 0,55 / 100) = 0,04975; 99,8% half-width
 * 3,090232 * 0,04975 = 0,1537 -> limits 0,2963 .. 0,6037: GM1 (0,6) and GM3 (0,3) are within.
 */
const answer = {
  computedAt: '2026-11-30T01:30:00.000Z',
  query: { minCell: 10 },
  rows: [
    {
      municipality: 'GM1',
      eligible: 100,
      reached: 60,
      share: 0.6,
      ciLow: 0.5,
      ciHigh: 0.69,
      suppressed: false,
    },
    {
      municipality: 'GM2',
      eligible: 5,
      reached: null,
      share: null,
      ciLow: null,
      ciHigh: null,
      suppressed: true,
    },
    {
      municipality: 'GM3',
      eligible: 100,
      reached: 30,
      share: 0.3,
      ciLow: 0.22,
      ciHigh: 0.4,
      suppressed: false,
    },
  ],
  total: {
    eligible: 205,
    reached: 92,
    share: 0.45,
    ciLow: 0.38,
    ciHigh: 0.52,
    suppressed: false,
  },
} as unknown as Answer;

describe('benchmark view', () => {
  it('sorts the bars by share, keeps suppressed rows as suppressed, and formats the table in Dutch', () => {
    const { bars, table } = municipalityBars(answer, names, 'share', tr);
    expect(bars.map((b) => [b.label, b.value])).toEqual([
      ['Een', 0.6],
      ['Drie', 0.3],
      ['Twee', null],
    ]);
    expect(table.rows[0]).toEqual(['Een', '100', '60', '60,0%', '50,0% – 69,0%', '–']);
    expect(table.rows[2][3]).toBe('benchmark.suppressed:{"n":10}');
    expect(table.suppressed).toEqual([false, false, true, false]);
    expect(table.rows[3][0]).toBe('benchmark.total');
  });

  it('puts the funnel verdicts of shared/metrics on the page and leaves suppressed rows out', () => {
    const f = funnel(answer, names, tr);
    expect(f?.p0).toBe(0.45);
    expect(f?.points.map((p) => [p.label, p.verdict])).toEqual([
      ['Een', 'within'],
      ['Drie', 'within'],
    ]);
    expect(f?.higher).toEqual([]);
  });

  it('shows own and national tiles from the totals, a suppressed total as too few clients', () => {
    const t = tiles(
      {
        ownBalance: answer,
        nationalBalance: {
          ...answer,
          total: { ...answer.total, suppressed: true },
        } as Answer,
      },
      60,
      tr,
    );
    expect(t[0].own?.value).toBe('45,0%');
    expect(t[0].own?.detail).toBe('38,0% – 52,0% · benchmark.clients:{"n":"205"}');
    expect(t[0].national?.value).toBe('benchmark.suppressedShort');
    expect(t[1].own).toBeNull();
  });
});
