import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  ChartConfiguration,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';
import { BaseChartDirective } from 'ng2-charts';
import { nearViewport } from './on-screen';
import { formatPercent, PALETTE } from './formats';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface StackPart {
  label: string;
  /** Share of the group, per bar (null: suppressed). */
  values: (number | null)[];
}

/** Horizontal stacked bars of shares (dropout by phase per municipality). */
@Component({
  selector: 'km-stacked-bars',
  imports: [BaseChartDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="chart-canvas" [style.height.px]="60 + bars().length * 20">
      @if (drawn()) {
        <canvas
          baseChart
          type="bar"
          [data]="data()"
          [options]="options"
          role="img"
          [attr.aria-label]="label()"
        ></canvas>
      }
    </div>
  `,
})
export class StackedBarsChart {
  /** The canvas is made when the chart comes near the screen (or the page prints). */
  protected readonly drawn = nearViewport();
  readonly bars = input.required<string[]>();
  readonly parts = input.required<StackPart[]>();
  readonly label = input.required<string>();
  protected readonly data = computed<ChartConfiguration<'bar'>['data']>(() => ({
    labels: this.bars(),
    datasets: this.parts().map((p, i) => ({
      label: p.label,
      data: p.values.map((v) => v ?? 0),
      backgroundColor: PALETTE[i % PALETTE.length],
      borderColor: '#ffffff',
      borderWidth: 1,
    })),
  }));
  protected readonly options: ChartConfiguration<'bar'>['options'] = {
    indexAxis: 'y',
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: {
      legend: { position: 'bottom' },
      tooltip: {
        callbacks: {
          label: (ctx) => `${ctx.dataset.label}: ${formatPercent(ctx.parsed.x as number)}`,
        },
      },
    },
    scales: {
      x: {
        stacked: true,
        min: 0,
        ticks: { callback: (v) => formatPercent(Number(v)) },
      },
      y: { stacked: true, ticks: { autoSkip: false } },
    },
  };
}
