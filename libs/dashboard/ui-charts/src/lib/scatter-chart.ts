import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { Chart, ChartConfiguration, LinearScale, PointElement, ScatterController, Tooltip } from 'chart.js';
import { BaseChartDirective } from 'ng2-charts';
import { nearViewport } from './on-screen';
import { formatInt, formatPercent, PALETTE } from './formats';

Chart.register(ScatterController, PointElement, LinearScale, Tooltip);

export interface ScatterPoint {
  label: string;
  x: number;
  y: number;
}

/** One point per group: x a number (minutes), y a share. */
@Component({
  selector: 'km-scatter-chart',
  imports: [BaseChartDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="chart-canvas" style="height: 360px">
      @if (drawn()) {
        <canvas
          baseChart
          type="scatter"
          [data]="data()"
          [options]="options()"
          role="img"
          [attr.aria-label]="label()"
        ></canvas>
      }
    </div>
  `,
})
export class ScatterChart {
  /** The canvas is made when the chart comes near the screen (or the page prints). */
  protected readonly drawn = nearViewport();
  readonly points = input.required<ScatterPoint[]>();
  readonly label = input.required<string>();
  readonly xTitle = input.required<string>();
  readonly yTitle = input.required<string>();
  protected readonly data = computed<ChartConfiguration<'scatter'>['data']>(() => ({
    datasets: [
      {
        data: this.points().map((p) => ({ x: p.x, y: p.y, name: p.label })),
        backgroundColor: PALETTE[0],
        pointRadius: 4,
      },
    ],
  }));
  protected readonly options = computed<ChartConfiguration<'scatter'>['options']>(() => ({
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: {
      legend: { display: false },
      tooltip: {
        callbacks: {
          label: (ctx) => {
            const r = ctx.raw as { x: number; y: number; name: string };
            return `${r.name}: ${formatInt(r.x)} min, ${formatPercent(r.y)}`;
          },
        },
      },
    },
    scales: {
      x: {
        min: 0,
        title: { display: true, text: this.xTitle() },
        ticks: { callback: (v) => formatInt(Number(v)) },
      },
      y: {
        min: 0,
        max: 1,
        title: { display: true, text: this.yTitle() },
        ticks: { callback: (v) => formatPercent(Number(v)) },
      },
    },
  }));
}
