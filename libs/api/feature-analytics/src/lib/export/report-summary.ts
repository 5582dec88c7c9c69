/**
 * What the first page of the report and the summary sheet of the workbook say (issue #24): the
 * sentence that answers the page's question, the funnel verdicts, the tiles. From the same answers as
 * the page (benchmarkRequests), with the page's own functions (shared/metrics), so all three agree.
 */
import { TILE_BALANCE_STEP, TILE_TIME_STEP } from '@klantmonitor/shared/domain';
import {
  funnelPoints,
  speedRows,
  speedSentence,
  translateSpeedNl,
  type FunnelPoint,
  type SpeedRow,
} from '@klantmonitor/shared/metrics';
import type { ReportInput } from './report-pdf';

export interface ReportSummary {
  sentence: string;
  verdicts: ReadonlyMap<string, FunnelPoint['verdict']>;
  /** Names of the municipalities clearly above / below the total ("geen" when none). */
  higher: string;
  lower: string;
  speed: SpeedRow[];
  /** Tile: label, own and national figure, and how the figure is written. */
  tiles: { label: string; own: number | null; national: number | null; kind: 'share' | 'int' | 'score' }[];
}

export function reportSummary(input: ReportInput & { clientTypes: readonly string[] }): ReportSummary {
  const { answers: a, names, stepLabels } = input;
  const att = a['attainment'];
  const p0 = typeof att?.total['share'] === 'number' ? (att.total['share'] as number) : null;
  const points = att && p0 !== null ? funnelPoints(att.rows as never, p0) : [];
  const verdicts = new Map(points.map((p) => [p.municipality, p.verdict]));
  const speed = a['speed'] ? speedRows(a['speed'] as never, att as never, names) : [];
  const sentence =
    speedSentence(
      speed,
      verdicts,
      { step: stepLabels[input.step], clientTypes: input.clientTypes, withinDays: input.withinDays },
      translateSpeedNl,
    ) ?? 'Er zijn te weinig cliënten voor een antwoord met deze filters.';
  const list = (v: FunnelPoint['verdict']) =>
    points
      .filter((p) => p.verdict === v)
      .map((p) => names.get(p.municipality) ?? p.municipality)
      .join(', ') || 'geen';
  const fig = (key: string, field: string) => {
    const v = a[key]?.total[field];
    return typeof v === 'number' ? v : null;
  };
  return {
    sentence,
    verdicts,
    higher: list('higher'),
    lower: list('lower'),
    speed,
    tiles: [
      {
        label: `${stepLabels[TILE_BALANCE_STEP]} binnen ${input.withinDays} dagen`,
        own: fig('ownBalance', 'share'),
        national: fig('nationalBalance', 'share'),
        kind: 'share',
      },
      { label: 'Uitval', own: fig('ownDropout', 'share'), national: fig('nationalDropout', 'share'), kind: 'share' },
      {
        label: `Dagen tot ${stepLabels[TILE_TIME_STEP].toLowerCase()} (mediaan)`,
        own: fig('ownTime', 'medianDays'),
        national: fig('nationalTime', 'medianDays'),
        kind: 'int',
      },
      {
        label: 'Goed geholpen (gemiddeld, 1 tot 5)',
        own: fig('ownExperience', 'mean'),
        national: fig('nationalExperience', 'mean'),
        kind: 'score',
      },
      {
        label: 'Binnen de wettelijke termijn gezien (eerste gesprek)',
        own: fig('ownWaiting', 'withinTerm'),
        national: fig('nationalWaiting', 'withinTerm'),
        kind: 'share',
      },
    ],
  };
}
