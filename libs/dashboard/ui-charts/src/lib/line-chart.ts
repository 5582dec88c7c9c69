import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import {
  CategoryScale,
  Chart,
  ChartConfiguration,
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

Chart.register(LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface LineSeries {
  label: string;
  /** One value per x label (null: no figure, e.g. suppressed: a gap, never zero). */
  values: (number | null)[];
  /** The reference (all clients): dashed black. */
  reference?: boolean;
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
    datasets: this.series().map((s, i) => ({
      label: s.label,
      data: s.values,
      borderColor: s.reference ? '#000000' : PALETTE[i % PALETTE.length],
      backgroundColor: s.reference ? '#000000' : PALETTE[i % PALETTE.length],
      borderDash: s.reference ? [6, 4] : i % 2 ? [2, 2] : [],
      pointStyle: (['circle', 'rect', 'triangle', 'rectRot', 'star', 'cross'] as const)[i % 6],
      pointRadius: this.labels().length > 40 ? 0 : 3,
      spanGaps: false,
      tension: 0,
    })),
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
        legend: { position: 'bottom', labels: { usePointStyle: true } },
        tooltip: {
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
