import type { Answer } from '@klantmonitor/dashboard/data-access';
import { benchmarkTiles as tiles } from '@klantmonitor/dashboard/ui-charts';
import { speedRows, speedSentence } from '@klantmonitor/shared/metrics';
import { clientTypeLabel, funnel, municipalityBars, speedTable, trend } from './benchmark-view';

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

describe('speed per municipality and the sentence that answers the question', () => {
  const nl = (key: string, p?: Record<string, unknown>) => {
    // The Dutch texts of the keys used, so the sentence can be read as a user reads it.
    const texts: Record<string, string> = {
      'benchmark.summary.clients': 'cliënten',
      'benchmark.summary.clientsOfType': 'cliënten van het type "{{type}}"',
      'benchmark.summary.fastest':
        '{{name}} helpt {{clients}} het snelst naar "{{step}}" (mediaan {{median}} dagen, 95%: {{low}} – {{high}})',
      'benchmark.summary.clear': '; dat is duidelijk sneller dan {{other}} (mediaan {{median}} dagen).',
      'benchmark.summary.notClear':
        '; het verschil met {{other}} (mediaan {{median}} dagen) is niet duidelijk groter dan toeval.',
      'benchmark.summary.only': '{{name}} is hier de enige gemeente: {{median}} dagen (95%: {{low}} – {{high}}).',
      'benchmark.summary.none': 'Geen mediaan voor {{clients}}.',
      'benchmark.summary.funnel.higher': 'Binnen {{n}} dagen: {{name}} duidelijk hoger.',
      'benchmark.summary.funnel.within': 'Binnen {{n}} dagen: {{name}} binnen de grenzen.',
      'benchmark.beyondFollowed': 'langer dan de gevolgde periode',
      'benchmark.days': '{{n}} dagen',
    };
    return (texts[key] ?? key).replace(/\{\{(\w+)\}\}/g, (_, k) => String(p?.[k]));
  };
  const timeAnswer = (rows: Record<string, unknown>[]) =>
    ({ computedAt: '', query: {}, rows, total: { n: 300, medianDays: 45, curve: [], suppressed: false } }) as never;
  const row = (municipality: string, n: number, medianDays: number | null, lo: number | null, hi: number | null) => ({
    municipality,
    n,
    medianDays,
    medianCiLow: lo,
    medianCiHigh: hi,
    curve: [],
    suppressed: false,
  });
  const attainment = {
    computedAt: '',
    query: {},
    rows: [
      { municipality: 'GM1', eligible: 100, reached: 70, share: 0.7, ciLow: 0.6, ciHigh: 0.78, suppressed: false },
      { municipality: 'GM3', eligible: 100, reached: 40, share: 0.4, ciLow: 0.31, ciHigh: 0.5, suppressed: false },
    ],
    total: {},
  } as never;

  it('sorts fastest first, no median after those, suppressed last', () => {
    const rows = speedRows(
      timeAnswer([
        row('GM3', 100, 52, 44, 60),
        { municipality: 'GM2', n: null, medianDays: null, curve: null, suppressed: true },
        row('GM1', 100, 32, 25, 41),
        { ...row('GM4', 40, null, null, null) },
      ]),
      attainment,
      new Map([...names, ['GM4', 'Vier']]),
    );
    expect(rows.map((r) => r.name)).toEqual(['Een', 'Drie', 'Vier', 'Twee']);
    expect(rows[0]).toMatchObject({ median: 32, medianLow: 25, medianHigh: 41, share: 0.7, shareLow: 0.6 });
  });

  it('says the difference is chance when the intervals overlap, and clear when they do not', () => {
    // Een 32 (25-41) against Drie 52 (44-60): 41 < 44, the intervals do not overlap: clear.
    const clear = speedRows(timeAnswer([row('GM1', 100, 32, 25, 41), row('GM3', 100, 52, 44, 60)]), attainment, names);
    expect(
      speedSentence(
        clear,
        new Map([['GM1', 'higher']]),
        { step: 'In balans', clientTypes: ['zelfstandige'], withinDays: 60 },
        nl,
      ),
    ).toBe(
      'Een helpt cliënten van het type "zelfstandige" het snelst naar "In balans" (mediaan 32 dagen, 95%: 25 – 41 dagen); dat is duidelijk sneller dan Drie (mediaan 52 dagen). Binnen 60 dagen: Een duidelijk hoger.',
    );
    // Drie's lower end 40 is below Een's upper end 41: they overlap, the difference may be chance.
    const overlap = speedRows(
      timeAnswer([row('GM1', 100, 32, 25, 41), row('GM3', 100, 52, 40, null)]),
      attainment,
      names,
    );
    expect(
      speedSentence(overlap, new Map([['GM1', 'within']]), { step: 'In balans', clientTypes: [], withinDays: 60 }, nl),
    ).toBe(
      'Een helpt cliënten het snelst naar "In balans" (mediaan 32 dagen, 95%: 25 – 41 dagen); het verschil met Drie (mediaan 52 dagen) is niet duidelijk groter dan toeval. Binnen 60 dagen: Een binnen de grenzen.',
    );
  });

  it('names an upper end beyond the data, one municipality alone, and none with a median', () => {
    const alone = speedRows(timeAnswer([row('GM1', 30, 50, 30, null)]), undefined, names);
    expect(speedSentence(alone, new Map(), { step: 'x', clientTypes: [], withinDays: 60 }, nl)).toBe(
      'Een is hier de enige gemeente: 50 dagen (95%: 30 – langer dan de gevolgde periode).',
    );
    const none = speedRows(timeAnswer([row('GM1', 30, null, null, null)]), undefined, names);
    expect(speedSentence(none, new Map(), { step: 'x', clientTypes: [], withinDays: 60 }, nl)).toBe(
      'Geen mediaan voor cliënten.',
    );
    expect(speedSentence([], new Map(), { step: 'x', clientTypes: [], withinDays: 60 }, nl)).toBeNull();
  });

  it('puts the median interval in the table, with the share within N days', () => {
    const rows = speedRows(timeAnswer([row('GM1', 100, 32, 25, null)]), attainment, names);
    const t = speedTable(rows, 60, nl);
    expect(t.rows[0]).toEqual(['Een', '100', '32 (25 – langer dan de gevolgde periode)', '70,0% (60,0% – 78,0%)']);
  });
});

describe('trend per quarter', () => {
  it('draws the 95% band and leaves a quarter with too few clients as a gap, never 0', () => {
    const answer = (rows: Record<string, unknown>[]) => ({ computedAt: '', query: {}, rows, total: {} }) as never;
    // 2026-Q1: 40 of 100 (Wilson 0,309 – 0,498); 2026-Q2 suppressed (fewer than minCell clients).
    const att = answer([
      { period: '2026-Q1', share: 0.4, ciLow: 0.309, ciHigh: 0.498, suppressed: false },
      { period: '2026-Q2', share: null, ciLow: null, ciHigh: null, suppressed: true },
    ]);
    const drop = answer([{ period: '2026-Q1', share: 0.1, ciLow: 0.055, ciHigh: 0.174, suppressed: false }]);
    const t = trend(att, drop, (k) => k, 'In balans binnen 60 dagen');
    expect(t.labels).toEqual(['2026-Q1', '2026-Q2']);
    expect(t.series[0].values).toEqual([0.4, null]);
    expect(t.series[0].band).toEqual({ low: [0.309, null], high: [0.498, null] });
    expect(t.series[1].values).toEqual([0.1, null]);
    expect(t.table.rows[0]).toEqual(['2026-Q1', '40,0%', '30,9% – 49,8%', '10,0%', '5,5% – 17,4%']);
    expect(t.table.rows[1]).toEqual(['2026-Q2', 'benchmark.suppressedShort', '–', 'benchmark.suppressedShort', '–']);
  });
});

describe('clientTypeLabel: one name per client type (#25)', () => {
  const own: Record<string, string> = {
    'clientTypeName.zelfstandige': 'De zelfstandige',
    'benchmark.unknownType': 'onbekend',
  };
  const tr = (key: string) => own[key] ?? key;
  it("uses the organisation's own name, else the code in words, and says onbekend for none", () => {
    expect(clientTypeLabel('zelfstandige', tr)).toBe('De zelfstandige');
    expect(clientTypeLabel('hulp_nodig', tr)).toBe('Hulp nodig');
    expect(clientTypeLabel('unknown', tr)).toBe('onbekend');
    expect(clientTypeLabel(undefined, tr)).toBe('');
  });
});
