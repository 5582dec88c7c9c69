/**
 * From analytics answers to what the page shows: chart inputs and their tables (the tiles are
 * benchmarkTiles of ui-charts, shared with the start page). Pure
 * presentation (no figure is computed here except the funnel limits, from shared/metrics), so the
 * page stays a thin shell and this can be tested without a browser.
 */
import { LADDER_STEPS, STEP_CODES, type StepCode } from '@klantmonitor/shared/domain';
import {
  funnelCurve,
  funnelPoints,
  medianIntervalText,
  type FunnelLimits,
  type FunnelPoint,
  type SpeedRow,
} from '@klantmonitor/shared/metrics';
import type {
  DropoutAnswer,
  DropoutRow,
  ExperienceAnswer,
  ExperienceRow,
  GroupFields,
  StepAttainmentAnswer,
  StepAttainmentRow,
  SupportAnswer,
  TimeToStepAnswer,
  TimeToStepRow,
  WaitingTimeAnswer,
  WaitingTimeRow,
} from '@klantmonitor/shared/domain';
import {
  formatDecimal,
  formatInt,
  formatPercent,
  type ChartTable,
  type LineSeries,
  type ShareBar,
  type StackPart,
  type ScatterPoint,
} from '@klantmonitor/dashboard/ui-charts';

export type Translate = (key: string, params?: Record<string, unknown>) => string;

/** `tr(CLIENT_TYPE_NAME + code)`: the caller's own name of a client type, or the key back when it has none. */
export const CLIENT_TYPE_NAME = 'clientTypeName.';

/**
 * A client type by the name the organisation gave it ("De zelfstandige", as on the caseload); a
 * type only other organisations have by its code in words ("Zelfstandige"); "onbekend" for none.
 */
export function clientTypeLabel(t: string | undefined, tr: Translate): string {
  if (t === 'unknown') return tr('benchmark.unknownType');
  if (!t) return '';
  const key = `${CLIENT_TYPE_NAME}${t}`;
  const own = tr(key);
  if (own !== key) return own;
  const words = t.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Interval text "51,1% – 78,1%", or a dash. */
const interval = (r: { ciLow: number | null; ciHigh: number | null }) =>
  r.ciLow !== null ? `${formatPercent(r.ciLow)} – ${formatPercent(r.ciHigh)}` : '–';

type Names = ReadonlyMap<string, string>;
const nameOf = (r: GroupFields, names: Names) => names.get(r.municipality ?? '') ?? r.municipality ?? '';

/** The legal term of an ordinary request, in days: the line of the waiting-time chart (#26). */
export const TERM_DAYS = 28;

/**
 * Chart 9 (#26): the median wait from request to first meeting per municipality, shortest first,
 * with its 95% interval; rows without figures last. The table adds the share seen within the legal
 * term (with its Wilson interval) and the share with a crisis.
 */
export function waitingBars(
  a: WaitingTimeAnswer,
  names: Names,
  tr: Translate,
): { bars: ShareBar[]; table: ChartTable } {
  const rows = [...a.rows].sort((x, y) => (x.medianDays ?? 1e9) - (y.medianDays ?? 1e9));
  const bars = rows.map((r) => ({
    label: nameOf(r, names),
    value: r.suppressed ? null : r.medianDays,
    low: r.medianCiLow,
    high: r.medianCiHigh,
  }));
  const suppressedText = tr('benchmark.suppressed', { n: a.query['minCell'] });
  const days = (v: number | null) => (v === null ? '–' : tr('benchmark.days', { n: formatInt(v) }));
  const line = (label: string, r: WaitingTimeRow) =>
    r.suppressed
      ? [label, suppressedText, '', '', '', '', '', '']
      : [
          label,
          formatInt(r.n),
          formatInt(r.seen),
          r.medianDays === null ? tr('benchmark.notYetHalf') : days(r.medianDays),
          r.medianCiLow === null
            ? '–'
            : `${days(r.medianCiLow)} – ${r.medianCiHigh === null ? tr('benchmark.longer') : days(r.medianCiHigh)}`,
          formatPercent(r.withinTerm),
          r.withinTermCiLow === null
            ? '–'
            : `${formatPercent(r.withinTermCiLow)} – ${formatPercent(r.withinTermCiHigh)}`,
          formatPercent(r.crisisShare),
        ];
  const group = a.reference;
  return {
    bars,
    table: {
      columns: [
        tr('benchmark.colMunicipality'),
        tr('benchmark.colRequests'),
        tr('benchmark.colSeen'),
        tr('benchmark.colWait'),
        tr('benchmark.colInterval'),
        tr('benchmark.colWithinTerm'),
        tr('benchmark.colInterval'),
        tr('benchmark.colCrisis'),
      ],
      rows: [
        ...rows.map((r) => line(nameOf(r, names), r)),
        line(tr('benchmark.total'), a.total),
        ...(group ? [line(tr('benchmark.groupRow', { name: group.group.name }), group.total)] : []),
      ],
      suppressed: [...rows.map((r) => r.suppressed), a.total.suppressed, ...(group ? [!!group.total.suppressed] : [])],
    },
  };
}

/** Chart 1: sorted by share (highest first), suppressed rows last. */
export function municipalityBars(
  a: StepAttainmentAnswer,
  names: Names,
  mode: 'share' | 'oe',
  tr: Translate,
): { bars: ShareBar[]; table: ChartTable } {
  const value = (r: StepAttainmentRow) => (mode === 'share' ? r.share : (r.oe ?? null));
  const rows = [...a.rows].sort((x, y) => (value(y) ?? -1) - (value(x) ?? -1));
  const bars = rows.map((r) => ({
    label: nameOf(r, names),
    value: r.suppressed ? null : value(r),
    low: mode === 'share' ? r.ciLow : null,
    high: mode === 'share' ? r.ciHigh : null,
  }));
  const suppressedText = tr('benchmark.suppressed', { n: a.query['minCell'] });
  const line = (label: string, r: StepAttainmentRow) => [
    label,
    formatInt(r.eligible),
    formatInt(r.reached),
    r.suppressed ? suppressedText : formatPercent(r.share),
    interval(r),
    formatDecimal(r.oe),
  ];
  const group = a.reference;
  return {
    bars,
    table: {
      columns: [
        tr('benchmark.colMunicipality'),
        tr('benchmark.colEligible'),
        tr('benchmark.colReached'),
        tr('benchmark.colShare'),
        tr('benchmark.colInterval'),
        tr('benchmark.colOe'),
      ],
      rows: [
        ...rows.map((r) => line(nameOf(r, names), r)),
        line(tr('benchmark.total'), a.total),
        ...(group ? [line(tr('benchmark.groupRow', { name: group.group.name }), group.total)] : []),
      ],
      suppressed: [...rows.map((r) => r.suppressed), a.total.suppressed, ...(group ? [!!group.total.suppressed] : [])],
    },
  };
}

export function funnel(
  a: StepAttainmentAnswer,
  names: Names,
  tr: Translate,
): {
  points: (FunnelPoint & { label: string })[];
  curve: FunnelLimits[];
  p0: number;
  higher: string[];
  lower: string[];
  table: ChartTable;
} | null {
  const p0 = a.total.share;
  if (p0 === null) return null;
  const points = funnelPoints(a.rows, p0).map((p) => ({
    ...p,
    label: names.get(p.municipality) ?? p.municipality,
  }));
  const ns = points.map((p) => p.n);
  const curve = funnelCurve(p0, Math.max(1, Math.min(...ns, 10) / 2), Math.max(...ns, 20) * 1.1);
  const verdict = (v: FunnelPoint['verdict']) => tr(`benchmark.verdict.${v}`);
  return {
    points,
    curve,
    p0,
    higher: points.filter((p) => p.verdict === 'higher').map((p) => p.label),
    lower: points.filter((p) => p.verdict === 'lower').map((p) => p.label),
    table: {
      columns: [
        tr('benchmark.colMunicipality'),
        tr('benchmark.colEligible'),
        tr('benchmark.colShare'),
        tr('benchmark.colVerdict'),
      ],
      rows: [...points]
        .sort((x, y) => y.share - x.share)
        .map((p) => [p.label, formatInt(p.n), formatPercent(p.share), verdict(p.verdict)]),
    },
  };
}

export function ladder(
  answers: Record<string, StepAttainmentAnswer | undefined>,
  stepLabel: (s: StepCode) => string,
  tr: Translate,
): { labels: string[]; series: LineSeries[]; table: ChartTable } | null {
  const got = LADDER_STEPS.map((s) => answers[`ladder:${s}`]);
  if (got.some((a) => !a)) return null;
  const all = got as StepAttainmentAnswer[];
  const types = [...new Set(all.flatMap((a) => a.rows.map((r) => r.clientType ?? '')))];
  const value = (a: StepAttainmentAnswer, type: string | null) => {
    const r = type === null ? a.total : a.rows.find((x) => x.clientType === type);
    return r && !r.suppressed ? r.share : null;
  };
  const series: LineSeries[] = [
    ...types.map((t) => ({
      label: clientTypeLabel(t, tr),
      values: all.map((a) => value(a, t)),
    })),
    {
      label: tr('benchmark.allClients'),
      values: all.map((a) => value(a, null)),
      reference: true,
    },
  ];
  return {
    labels: LADDER_STEPS.map(stepLabel),
    series,
    table: {
      columns: [tr('benchmark.colClientType'), ...LADDER_STEPS.map(stepLabel)],
      rows: series.map((s) => [
        s.label,
        ...s.values.map((v) => (v === null ? tr('benchmark.suppressedShort') : formatPercent(v))),
      ]),
    },
  };
}

/** The time chart: one line per client type, or per municipality (rows carrying `municipality`), and the total. */
export function timeCurves(
  a: TimeToStepAnswer,
  tr: Translate,
  names: Names = new Map(),
): { labels: string[]; series: LineSeries[]; table: ChartTable } {
  const byMunicipality = a.rows.some((r) => r.municipality !== undefined);
  const rows = [...a.rows, a.total];
  const days = (a.total.curve ?? a.rows.find((r) => r.curve)?.curve ?? []).map((p) => p.day);
  const label = (r: TimeToStepRow) =>
    r === a.total ? tr('benchmark.allClients') : byMunicipality ? nameOf(r, names) : clientTypeLabel(r.clientType, tr);
  const median = (r: TimeToStepRow) =>
    r.medianDays === null ? tr('benchmark.noMedian') : tr('benchmark.days', { n: formatInt(r.medianDays) });
  const cif = (r: TimeToStepRow, d: number) => r.curve?.find((p) => p.day === d)?.cif ?? null;
  const series = rows.map((r) => ({
    label: r.suppressed
      ? `${label(r)} (${tr('benchmark.suppressedShort')})`
      : `${label(r)} (${tr('benchmark.median')}: ${median(r)})`,
    values: days.map((d) => cif(r, d)),
    reference: r === a.total,
  }));
  const shown = [30, 60, 90, 180].filter((d) => days.includes(d));
  return {
    labels: days.map((d) => String(d)),
    series,
    table: {
      columns: [
        tr(byMunicipality ? 'benchmark.colMunicipality' : 'benchmark.colClientType'),
        tr('benchmark.colClients'),
        tr('benchmark.median'),
        tr('benchmark.colMedianInterval'),
        ...shown.map((d) => tr('benchmark.afterDays', { n: d })),
      ],
      rows: rows.map((r) => [
        label(r),
        formatInt(r.n),
        r.suppressed ? tr('benchmark.suppressedShort') : median(r),
        r.suppressed
          ? '–'
          : medianIntervalText(
              { median: r.medianDays, medianLow: r.medianCiLow ?? null, medianHigh: r.medianCiHigh ?? null },
              tr,
            ),
        ...shown.map((d) => formatPercent(cif(r, d))),
      ]),
      suppressed: rows.map((r) => r.suppressed),
    },
  };
}

export function dropoutByPhase(
  a: DropoutAnswer,
  names: Names,
  stepLabel: (s: StepCode) => string,
  tr: Translate,
): { bars: string[]; parts: StackPart[]; table: ChartTable } {
  const phases = STEP_CODES.filter((s) => s !== 'settlement_ready');
  const rows = [...a.rows].sort((x, y) => (y.share ?? -1) - (x.share ?? -1));
  const shareOf = (r: DropoutRow, p: StepCode) => (r.byPhase && r.n ? (r.byPhase[p] ?? 0) / r.n : null);
  const line = (label: string, r: DropoutRow) => [
    label,
    formatInt(r.n),
    formatInt(r.dropped),
    r.suppressed ? tr('benchmark.suppressed', { n: a.query['minCell'] }) : formatPercent(r.share),
    formatPercent(r.momentOfTruth),
  ];
  return {
    bars: rows.map((r) =>
      r.suppressed ? `${nameOf(r, names)} (${tr('benchmark.suppressedShort')})` : nameOf(r, names),
    ),
    parts: phases.map((p) => ({
      label: stepLabel(p),
      values: rows.map((r) => (r.suppressed ? null : shareOf(r, p))),
    })),
    table: {
      columns: [
        tr('benchmark.colMunicipality'),
        tr('benchmark.colClients'),
        tr('benchmark.colDropped'),
        tr('benchmark.colDropout'),
        tr('benchmark.colMomentOfTruth'),
      ],
      rows: [
        ...rows.map((r) => line(nameOf(r, names), r)),
        line(tr('benchmark.total'), a.total),
        ...(a.reference ? [line(tr('benchmark.groupRow', { name: a.reference.group.name }), a.reference.total)] : []),
      ],
      suppressed: [
        ...rows.map((r) => r.suppressed),
        a.total.suppressed,
        ...(a.reference ? [!!a.reference.total.suppressed] : []),
      ],
    },
  };
}

/** The comparison group's share and its sentence under a chart ("Vergelijk met"), or null. */
export function groupNote(
  a: StepAttainmentAnswer | DropoutAnswer | undefined,
  tr: Translate,
): { value: number | null; text: string } | null {
  const ref = a?.reference;
  if (!ref) return null;
  const value = ref.total.suppressed ? null : ref.total.share;
  const text =
    value === null
      ? tr(ref.reason === 'shared' ? 'benchmark.groupShared' : 'benchmark.groupSuppressed', { name: ref.group.name })
      : tr('benchmark.groupLine', { name: ref.group.name, value: formatPercent(value) });
  return { value, text };
}

export function experience(
  a: ExperienceAnswer,
  stepLabel: (s: StepCode) => string,
  tr: Translate,
): { labels: string[]; series: LineSeries[]; table: ChartTable } {
  const types = [...new Set(a.rows.map((r) => r.clientType ?? ''))];
  const mean = (rows: ExperienceRow[], p: StepCode) => {
    const r = rows.find((x) => x.phase === p);
    return r && !r.suppressed ? r.mean : null;
  };
  const series: LineSeries[] = [
    ...types.map((t) => ({
      label: clientTypeLabel(t, tr),
      values: STEP_CODES.map((p) =>
        mean(
          a.rows.filter((r) => r.clientType === t),
          p,
        ),
      ),
    })),
    {
      label: tr('benchmark.allClients'),
      values: STEP_CODES.map((p) => mean(a.total.byPhase ?? [], p)),
      reference: true,
    },
  ];
  return {
    labels: STEP_CODES.map(stepLabel),
    series,
    table: {
      columns: [tr('benchmark.colClientType'), ...STEP_CODES.map(stepLabel)],
      rows: series.map((s) => [s.label, ...s.values.map((v) => (v === null ? '–' : formatDecimal(v)))]),
    },
  };
}

export function supportVsResults(
  support: SupportAnswer,
  attainment: StepAttainmentAnswer,
  names: Names,
  tr: Translate,
): { points: ScatterPoint[]; table: ChartTable } {
  const points: ScatterPoint[] = [];
  const rows: string[][] = [];
  for (const r of support.rows) {
    const att = attainment.rows.find((x) => x.municipality === r.municipality);
    const m = r.meanMinutes ? Object.values(r.meanMinutes).reduce((x, y) => x + y, 0) : null;
    const share = att && !att.suppressed ? att.share : null;
    if (m !== null && share !== null && !r.suppressed) points.push({ label: nameOf(r, names), x: m, y: share });
    rows.push([
      nameOf(r, names),
      formatInt(r.n),
      r.suppressed ? tr('benchmark.suppressedShort') : formatPercent(r.administrativeShare),
      formatInt(m),
      formatPercent(share),
    ]);
  }
  return {
    points,
    table: {
      columns: [
        tr('benchmark.colMunicipality'),
        tr('benchmark.colClients'),
        tr('benchmark.colAdministrative'),
        tr('benchmark.colMinutes'),
        tr('benchmark.colShare'),
      ],
      rows,
    },
  };
}

export function trend(
  att: StepAttainmentAnswer,
  drop: DropoutAnswer,
  tr: Translate,
  stepText: string,
): { labels: string[]; series: LineSeries[]; table: ChartTable } {
  const periods = [...new Set([...att.rows, ...drop.rows].map((r) => r.period ?? ''))].sort();
  // A period with fewer than minCell clients is suppressed: no point and no band there (a gap, never 0).
  const value = (rows: (StepAttainmentRow | DropoutRow)[], p: string, field: 'share' | 'ciLow' | 'ciHigh') => {
    const r = rows.find((x) => x.period === p);
    return r && !r.suppressed ? r[field] : null;
  };
  const line = (label: string, rows: (StepAttainmentRow | DropoutRow)[]): LineSeries => ({
    label,
    values: periods.map((p) => value(rows, p, 'share')),
    band: { low: periods.map((p) => value(rows, p, 'ciLow')), high: periods.map((p) => value(rows, p, 'ciHigh')) },
  });
  const series: LineSeries[] = [line(stepText, att.rows), line(tr('benchmark.colDropout'), drop.rows)];
  const cells = (s: LineSeries, i: number) =>
    s.values[i] === null
      ? [tr('benchmark.suppressedShort'), '–']
      : [
          formatPercent(s.values[i]),
          `${formatPercent(s.band?.low[i] ?? null)} – ${formatPercent(s.band?.high[i] ?? null)}`,
        ];
  return {
    labels: periods,
    series,
    table: {
      columns: [
        tr('benchmark.colPeriod'),
        stepText,
        tr('benchmark.colInterval'),
        tr('benchmark.colDropout'),
        tr('benchmark.colInterval'),
      ],
      rows: periods.map((p, i) => [p, ...series.flatMap((s) => cells(s, i))]),
    },
  };
}

/**
 * The table "Snelheid per gemeente": the median with its interval in one cell ("43 (35 – 54)"), the
 * share within N days with its interval in another, so the table fits beside the filters.
 */
export function speedTable(rows: SpeedRow[], withinDays: number, tr: Translate): ChartTable {
  const median = (r: SpeedRow) =>
    r.suppressed
      ? tr('benchmark.suppressedShort')
      : r.median === null
        ? tr('benchmark.noMedian')
        : `${formatInt(r.median)} (${medianIntervalText(r, tr)})`;
  const share = (r: SpeedRow) =>
    r.share === null
      ? '–'
      : r.shareLow !== null
        ? `${formatPercent(r.share)} (${formatPercent(r.shareLow)} – ${formatPercent(r.shareHigh)})`
        : formatPercent(r.share);
  return {
    columns: [
      tr('benchmark.colMunicipality'),
      tr('benchmark.colClients'),
      tr('benchmark.colMedianWithInterval'),
      tr('benchmark.colWithinDaysWithInterval', { n: withinDays }),
    ],
    rows: rows.map((r) => [r.name, formatInt(r.n), median(r), share(r)]),
    suppressed: rows.map((r) => r.suppressed),
  };
}
