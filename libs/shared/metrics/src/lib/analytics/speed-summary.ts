/**
 * Speed per municipality and the one sentence that answers "which municipality gets these clients to
 * the step fastest, and is the difference real?" (issue #24). Shared by the benchmark page and the
 * report (PDF, XLSX), so they say the same. Pure: answers in, rows and words out; the words come from
 * the caller's translations (`tr`), numbers in Dutch format.
 */
import type { StepAttainmentRow, TimeToStepRow } from '@klantmonitor/shared/domain';
import type { FunnelPoint } from './funnel';

export type Translate = (key: string, params?: Record<string, unknown>) => string;
type Names = ReadonlyMap<string, string>;

const int = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 0 });
const formatInt = (v: number | null | undefined): string => (typeof v === 'number' ? int.format(v) : '–');

/** One municipality's speed: the median with its interval, and the share within N days with its interval. */
export interface SpeedRow {
  municipality: string;
  name: string;
  n: number | null;
  median: number | null;
  medianLow: number | null;
  medianHigh: number | null;
  share: number | null;
  shareLow: number | null;
  shareHigh: number | null;
  suppressed: boolean;
}

/**
 * Speed per municipality (time-to-step by municipality, with step attainment by municipality for the
 * share within N days), fastest first: by median; no median (half not reached in the followed
 * period) after those, suppressed last.
 */
export function speedRows(
  speed: { rows: readonly TimeToStepRow[] },
  attainment: { rows: readonly StepAttainmentRow[] } | undefined,
  names: Names,
): SpeedRow[] {
  const shares = new Map((attainment?.rows ?? []).map((r) => [r.municipality ?? '', r]));
  const rank = (r: SpeedRow) => (r.suppressed ? 2 : r.median === null ? 1 : 0);
  return speed.rows
    .map((r) => {
      const a = shares.get(r.municipality ?? '');
      const shown = a && !a.suppressed;
      return {
        municipality: r.municipality ?? '',
        name: names.get(r.municipality ?? '') ?? r.municipality ?? '',
        n: r.n,
        median: r.suppressed ? null : r.medianDays,
        medianLow: r.suppressed ? null : (r.medianCiLow ?? null),
        medianHigh: r.suppressed ? null : (r.medianCiHigh ?? null),
        share: shown ? a.share : null,
        shareLow: shown ? a.ciLow : null,
        shareHigh: shown ? a.ciHigh : null,
        suppressed: r.suppressed,
      };
    })
    .sort(
      (x, y) =>
        rank(x) - rank(y) ||
        (x.median ?? 0) - (y.median ?? 0) ||
        (y.share ?? -1) - (x.share ?? -1) ||
        x.name.localeCompare(y.name, 'nl'),
    );
}

/** "25 – 41 dagen", with "langer dan de gevolgde periode" for an upper end beyond the data. */
export function medianIntervalText(r: Pick<SpeedRow, 'median' | 'medianLow' | 'medianHigh'>, tr: Translate): string {
  if (r.median === null || r.medianLow === null) return '–';
  const high = r.medianHigh === null ? tr('benchmark.beyondFollowed') : formatInt(r.medianHigh);
  return `${formatInt(r.medianLow)} – ${high}`;
}

/**
 * One sentence that answers "which municipality gets these clients to the step fastest, and is the
 * difference real?": the fastest by median with its interval; clearly faster than the next one only
 * when the intervals do not overlap (the fastest's upper end below the next one's lower end); and the
 * funnel verdict of the fastest's share within N days against the total. Null without figures.
 */
export function speedSentence(
  rows: SpeedRow[],
  verdicts: ReadonlyMap<string, FunnelPoint['verdict']>,
  ctx: { step: string; clientTypes: readonly string[]; withinDays: number },
  tr: Translate,
): string | null {
  const shown = rows.filter((r) => !r.suppressed);
  if (shown.length === 0) return null;
  const clients =
    ctx.clientTypes.length === 1
      ? ctx.clientTypes[0] === 'unknown'
        ? tr('benchmark.summary.clientsUnknown')
        : tr('benchmark.summary.clientsOfType', { type: ctx.clientTypes[0] })
      : tr('benchmark.summary.clients');
  const withMedian = shown.filter((r) => r.median !== null);
  if (withMedian.length === 0) return tr('benchmark.summary.none', { clients, step: ctx.step });
  const [first, second] = withMedian;
  const median = (r: SpeedRow) => formatInt(r.median);
  const high = (r: SpeedRow) =>
    r.medianHigh === null ? tr('benchmark.beyondFollowed') : tr('benchmark.days', { n: formatInt(r.medianHigh) });
  const params = {
    name: first.name,
    clients,
    step: ctx.step,
    median: median(first),
    low: formatInt(first.medianLow),
    high: high(first),
  };
  let text = second
    ? tr('benchmark.summary.fastest', params) +
      tr(
        first.medianHigh !== null && second.medianLow !== null && first.medianHigh < second.medianLow
          ? 'benchmark.summary.clear'
          : 'benchmark.summary.notClear',
        { other: second.name, median: median(second) },
      )
    : tr('benchmark.summary.only', params);
  const verdict = verdicts.get(first.municipality);
  if (verdict) text += ' ' + tr(`benchmark.summary.funnel.${verdict}`, { name: first.name, n: ctx.withinDays });
  return text;
}

/** The Dutch of the sentence (the page's `benchmark.summary.*`; the report's only language). */
export const SPEED_SUMMARY_NL = {
  title: 'Antwoord in het kort',
  clients: 'cliënten',
  clientsOfType: 'cliënten van het type "{{type}}"',
  clientsUnknown: 'cliënten zonder type',
  fastest: '{{name}} helpt {{clients}} het snelst naar "{{step}}" (mediaan {{median}} dagen, 95%: {{low}} – {{high}})',
  clear: '; dat is duidelijk sneller dan {{other}} (mediaan {{median}} dagen).',
  notClear: '; het verschil met {{other}} (mediaan {{median}} dagen) is niet duidelijk groter dan toeval.',
  only: '{{name}} is hier de enige gemeente met een mediaan voor {{clients}} naar "{{step}}": {{median}} dagen (95%: {{low}} – {{high}}).',
  none: 'In geen van deze gemeenten had de helft van de {{clients}} "{{step}}" al bereikt in de gevolgde periode.',
  funnel: {
    higher: 'Binnen {{n}} dagen bereiken in {{name}} duidelijk meer cliënten deze stap dan in het totaal.',
    lower: 'Binnen {{n}} dagen bereiken in {{name}} duidelijk minder cliënten deze stap dan in het totaal.',
    within: 'Binnen {{n}} dagen is het verschil van {{name}} met het totaal niet duidelijk groter dan toeval.',
  },
};

const lookup = (path: string): string | undefined =>
  path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], {
    benchmark: {
      summary: SPEED_SUMMARY_NL,
      beyondFollowed: 'langer dan de gevolgde periode',
      days: '{{n}} dagen',
    },
  }) as string | undefined;

/** The Dutch texts above as a `tr` for the sentence (the report: Dutch only). */
export const translateSpeedNl: Translate = (key, params) =>
  (lookup(key) ?? key).replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(params?.[k] ?? ''));
