import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { AnalyticsAnswer } from '@klantmonitor/shared/domain';
import { formatDecimal1, formatInt, formatPercent } from './formats';

export interface FigureTile {
  title: string;
  own: { value: string; detail: string } | null;
  national: { value: string; detail: string } | null;
  ownLabel: string;
  nationalLabel: string;
}

/** The benchmark's key figures: the caller's own municipalities next to the national total. */
@Component({
  selector: 'km-figure-tiles',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <ul class="tiles" data-testid="tiles">
      @for (t of tiles(); track t.title) {
        <li class="tile">
          <h3>{{ t.title }}</h3>
          <dl>
            <div>
              <dt>{{ t.ownLabel }}</dt>
              <dd class="tile-value" data-testid="tile-own">
                {{ t.own?.value ?? '–' }}
              </dd>
              <dd class="muted">{{ t.own?.detail ?? '' }}</dd>
            </div>
            <div>
              <dt>{{ t.nationalLabel }}</dt>
              <dd class="tile-value" data-testid="tile-national">
                {{ t.national?.value ?? '–' }}
              </dd>
              <dd class="muted">{{ t.national?.detail ?? '' }}</dd>
            </div>
          </dl>
        </li>
      }
    </ul>
  `,
})
export class FigureTiles {
  readonly tiles = input.required<FigureTile[]>();
}

type TileRow = Record<string, unknown> & { suppressed: boolean };
type TileAnswer = AnalyticsAnswer<TileRow, TileRow>;

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const interval = (r: TileRow) =>
  num(r['ciLow']) !== null ? `${formatPercent(num(r['ciLow']))} – ${formatPercent(num(r['ciHigh']))}` : '–';

/**
 * The four tiles from the totals of the tile answers (keys `own…` and `national…` of
 * benchmarkRequests in shared/domain): the benchmark page and the start page show the same.
 */
export function benchmarkTiles(
  a: Record<string, TileAnswer | undefined>,
  withinDays: number,
  tr: (key: string, params?: Record<string, unknown>) => string,
): FigureTile[] {
  const part = (
    answer: TileAnswer | undefined,
    value: (r: TileRow) => string,
    n: (r: TileRow) => unknown,
    ci = true,
  ) => {
    const t = answer?.total;
    if (!t) return null;
    if (t.suppressed) return { value: tr('benchmark.suppressedShort'), detail: '' };
    const count = tr('benchmark.clients', { n: formatInt(num(n(t))) });
    return {
      value: value(t),
      detail: ci && num(t['ciLow']) !== null ? `${interval(t)} · ${count}` : count,
    };
  };
  const termPart = (answer: TileAnswer | undefined) => {
    const t = answer?.total;
    if (!t) return null;
    if (t.suppressed || num(t['withinTerm']) === null) return { value: tr('benchmark.suppressedShort'), detail: '' };
    const count = tr('benchmark.requests', { n: formatInt(num(t['termDue'])) });
    const ci = `${formatPercent(num(t['withinTermCiLow']))} – ${formatPercent(num(t['withinTermCiHigh']))}`;
    return { value: formatPercent(num(t['withinTerm'])), detail: `${ci} · ${count}` };
  };
  const own = tr('benchmark.tileOwn');
  const national = tr('benchmark.tileNational');
  const median = (r: TileRow) =>
    num(r['medianDays']) === null
      ? tr('benchmark.noMedian')
      : tr('benchmark.days', { n: formatInt(num(r['medianDays'])) });
  return [
    {
      title: tr('benchmark.tileBalance', { n: withinDays }),
      own: part(
        a['ownBalance'],
        (r) => formatPercent(num(r['share'])),
        (r) => r['eligible'],
      ),
      national: part(
        a['nationalBalance'],
        (r) => formatPercent(num(r['share'])),
        (r) => r['eligible'],
      ),
      ownLabel: own,
      nationalLabel: national,
    },
    {
      title: tr('benchmark.tileDropout'),
      own: part(
        a['ownDropout'],
        (r) => formatPercent(num(r['share'])),
        (r) => r['n'],
      ),
      national: part(
        a['nationalDropout'],
        (r) => formatPercent(num(r['share'])),
        (r) => r['n'],
      ),
      ownLabel: own,
      nationalLabel: national,
    },
    {
      title: tr('benchmark.tileTime'),
      own: part(a['ownTime'], median, (r) => r['n'], false),
      national: part(a['nationalTime'], median, (r) => r['n'], false),
      ownLabel: own,
      nationalLabel: national,
    },
    {
      // #26: the share of requests seen within the legal term (4 weeks; 3 working days in a crisis).
      title: tr('benchmark.tileWithinTerm'),
      own: termPart(a['ownWaiting']),
      national: termPart(a['nationalWaiting']),
      ownLabel: own,
      nationalLabel: national,
    },
    {
      title: tr('benchmark.tileExperience'),
      own: part(
        a['ownExperience'],
        (r) => formatDecimal1(num(r['mean'])),
        (r) => r['n'],
        false,
      ),
      national: part(
        a['nationalExperience'],
        (r) => formatDecimal1(num(r['mean'])),
        (r) => r['n'],
        false,
      ),
      ownLabel: own,
      nationalLabel: national,
    },
  ];
}
