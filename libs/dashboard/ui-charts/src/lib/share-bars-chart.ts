import {
  ChangeDetectionStrategy,
  Component,
  computed,
  input,
} from '@angular/core';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  ChartConfiguration,
  LinearScale,
  Plugin,
  Tooltip,
} from 'chart.js';
import { BaseChartDirective } from 'ng2-charts';
import {
  formatDecimal,
  formatPercent,
  PALETTE,
  REFERENCE_COLOUR,
} from './formats';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

export interface ShareBar {
  label: string;
  /** Null: suppressed (drawn hatched with `suppressedLabel`, never as zero). */
  value: number | null;
  low?: number | null;
  high?: number | null;
}

/**
 * Horizontal bars of a share (or a ratio) per group with interval whiskers, a reference line (the
 * national figure) and suppressed rows as an empty hatched bar with their label.
 */
@Component({
  selector: 'km-share-bars',
  imports: [BaseChartDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="chart-canvas" [style.height.px]="height()">
      <canvas
        baseChart
        type="bar"
        [data]="data()"
        [options]="options()"
        [plugins]="plugins"
        role="img"
        [attr.aria-label]="label()"
      ></canvas>
    </div>
  `,
})
export class ShareBarsChart {
  readonly bars = input.required<ShareBar[]>();
  readonly reference = input<number | null>(null);
  readonly label = input.required<string>();
  readonly suppressedLabel = input.required<string>();
  /** `share` axis 0..100%; `ratio` (observed/expected) a plain number axis. */
  readonly kind = input<'share' | 'ratio'>('share');
  protected readonly height = computed(() => 50 + this.bars().length * 20);
  protected readonly data = computed<ChartConfiguration<'bar'>['data']>(() => ({
    labels: this.bars().map((b) => b.label),
    datasets: [
      {
        data: this.bars().map((b) => b.value ?? 0),
        backgroundColor: PALETTE[0],
        barPercentage: 0.8,
      },
    ],
  }));
  protected readonly options = computed<ChartConfiguration<'bar'>['options']>(
    () => {
      const share = this.kind() === 'share';
      const max = share
        ? 1
        : Math.max(2, ...this.bars().map((b) => b.high ?? b.value ?? 0));
      return {
        indexAxis: 'y',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (ctx) => {
                const b = this.bars()[ctx.dataIndex];
                if (b.value === null) return this.suppressedLabel();
                const f = share ? formatPercent : formatDecimal;
                return b.low != null && b.high != null
                  ? `${f(b.value)} (${f(b.low)} – ${f(b.high)})`
                  : f(b.value);
              },
            },
          },
        },
        scales: {
          x: {
            min: 0,
            max,
            ticks: {
              callback: (v) =>
                share ? formatPercent(Number(v)) : formatDecimal(Number(v)),
            },
          },
          y: { ticks: { autoSkip: false } },
        },
      };
    },
  );
  /** Whiskers, the reference line and the hatched suppressed bars. */
  protected readonly plugins: Plugin<'bar'>[] = [
    {
      id: 'kmShareDecorations',
      afterDatasetsDraw: (chart) => {
        const { ctx, scales } = chart;
        const x = scales['x'];
        const y = scales['y'];
        ctx.save();
        this.bars().forEach((b, i) => {
          const yy = y.getPixelForValue(i);
          if (b.value === null) {
            const w = (x.getPixelForValue(x.max) - x.getPixelForValue(0)) * 0.3;
            const left = x.getPixelForValue(0);
            ctx.strokeStyle = '#6b6b6b';
            ctx.setLineDash([3, 3]);
            ctx.strokeRect(left, yy - 7, w, 14);
            ctx.setLineDash([]);
            ctx.beginPath();
            for (let hx = left; hx < left + w; hx += 6) {
              ctx.moveTo(hx, yy + 7);
              ctx.lineTo(Math.min(hx + 6, left + w), yy - 7);
            }
            ctx.stroke();
            ctx.fillStyle = '#333';
            ctx.font = '12px sans-serif';
            ctx.fillText(this.suppressedLabel(), left + w + 6, yy + 4);
            return;
          }
          if (b.low != null && b.high != null) {
            ctx.strokeStyle = '#000';
            ctx.lineWidth = 1.5;
            ctx.beginPath();
            ctx.moveTo(x.getPixelForValue(b.low), yy);
            ctx.lineTo(x.getPixelForValue(b.high), yy);
            ctx.moveTo(x.getPixelForValue(b.low), yy - 4);
            ctx.lineTo(x.getPixelForValue(b.low), yy + 4);
            ctx.moveTo(x.getPixelForValue(b.high), yy - 4);
            ctx.lineTo(x.getPixelForValue(b.high), yy + 4);
            ctx.stroke();
          }
        });
        const ref = this.reference();
        if (ref !== null) {
          ctx.strokeStyle = REFERENCE_COLOUR;
          ctx.lineWidth = 2;
          ctx.setLineDash([6, 4]);
          ctx.beginPath();
          ctx.moveTo(x.getPixelForValue(ref), y.top);
          ctx.lineTo(x.getPixelForValue(ref), y.bottom);
          ctx.stroke();
        }
        ctx.restore();
      },
    },
  ];
}
