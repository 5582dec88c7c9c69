import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import {
  CategoryScale,
  Chart,
  ChartConfiguration,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { BaseChartDirective } from 'ng2-charts';
import { nearViewport } from './on-screen';
import { formatDecimal, formatInt, formatPercent, PALETTE } from './formats';

Chart.register(LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip, Filler);

export interface LineSeries {
  label: string;
  /** One value per x label (null: no figure, e.g. suppressed: a gap, never zero). */
  values: (number | null)[];
  /** The reference (all clients): dashed black. */
  reference?: boolean;
  /** A 95% interval drawn as a light band around the line (null: no band at that point). */
  band?: { low: (number | null)[]; high: (number | null)[] };
}

/** Band datasets carry this, so the legend and the tooltip leave them out. */
const BAND = 'kmBand';

/** `#rrggbb` as rgba with this opacity. */
function translucent(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Lines over categories (steps, phases, periods, days), one colour and dash per series. */
@Component({
  selector: 'km-line-chart',
  imports: [BaseChartDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="chart-canvas" [style.height.px]="height()">
      @if (drawn()) {
        <canvas
          baseChart
          type="line"
          [data]="data()"
          [options]="options()"
          role="img"
          [attr.aria-label]="label()"
        ></canvas>
      }
    </div>
  `,
})
export class LineChart {
  /** The canvas is made when the chart comes near the screen (or the page prints). */
  protected readonly drawn = nearViewport();
  readonly labels = input.required<string[]>();
  readonly series = input.required<LineSeries[]>();
  readonly label = input.required<string>();
  readonly format = input<'percent' | 'score' | 'int' | 'decimal'>('percent');
  readonly xTitle = input<string | null>(null);
  readonly height = input(320);
  private readonly fmt = computed(() =>
    this.format() === 'percent'
      ? formatPercent
      : this.format() === 'score' || this.format() === 'decimal'
        ? formatDecimal
        : formatInt,
  );
  protected readonly data = computed<ChartConfiguration<'line'>['data']>(() => ({
    labels: this.labels(),
    datasets: this.series().flatMap((s, i) => {
      const colour = s.reference ? '#000000' : PALETTE[i % PALETTE.length];
      const line = {
        label: s.label,
        data: s.values,
        borderColor: colour,
        backgroundColor: colour,
        borderDash: s.reference ? [6, 4] : i % 2 ? [2, 2] : [],
        pointStyle: (['circle', 'rect', 'triangle', 'rectRot', 'star', 'cross'] as const)[i % 6],
        pointRadius: this.labels().length > 40 ? 0 : 3,
        spanGaps: false,
        tension: 0,
      };
      if (!s.band) return [line];
      // The band: its lower edge, then its upper edge filled down to the lower one ('-1').
      const edge = (data: (number | null)[], fill: false | '-1') => ({
        label: s.label,
        data,
        [BAND]: true,
        borderWidth: 0,
        pointRadius: 0,
        pointHitRadius: 0,
        borderColor: 'transparent',
        backgroundColor: translucent(colour, 0.15),
        fill,
        spanGaps: false,
        tension: 0,
      });
      return [edge(s.band.low, false), edge(s.band.high, '-1'), line];
    }),
  }));
  protected readonly options = computed<ChartConfiguration<'line'>['options']>(() => {
    const f = this.fmt();
    const percent = this.format() === 'percent';
    const score = this.format() === 'score';
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: {
          position: 'bottom',
          labels: {
            usePointStyle: true,
            filter: (item, data) =>
              !(data.datasets[item.datasetIndex ?? 0] as unknown as Record<string, unknown>)[BAND],
          },
        },
        tooltip: {
          filter: (item) => !(item.dataset as unknown as Record<string, unknown>)[BAND],
          callbacks: {
            label: (ctx) => `${ctx.dataset.label}: ${f(ctx.parsed.y as number)}`,
          },
        },
      },
      scales: {
        x: { title: { display: !!this.xTitle(), text: this.xTitle() ?? '' } },
        y: {
          min: percent ? 0 : score ? 1 : undefined,
          max: percent ? 1 : score ? 5 : undefined,
          ticks: { callback: (v) => f(Number(v)) },
        },
      },
    };
  });
}
