import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
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
import { nearViewport } from './on-screen';
import { formatDecimal, formatInt, formatPercent, GROUP_COLOUR, PALETTE, REFERENCE_COLOUR } from './formats';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

export interface ShareBar {
  label: string;
  /** Null: suppressed (drawn hatched with `suppressedLabel`, never as zero). */
  value: number | null;
  low?: number | null;
  high?: number | null;
}

export type BarKind = 'share' | 'ratio' | 'days';

/** How a value of each kind is written on the axis and in the tooltip. */
function formatterOf(kind: BarKind): (v: number | null) => string {
  if (kind === 'share') return formatPercent;
  if (kind === 'days') return (v) => (v === null ? '–' : `${formatInt(v)} d`);
  return formatDecimal;
}

/** Bars per canvas: a canvas of 342 bars is 6,900 px tall and costs ~100 ms per redraw to hand over. */
const PART = 50;

/** One canvas of ShareBarsChart. */
@Component({
  selector: 'km-share-bars-part',
  imports: [BaseChartDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="chart-canvas" [style.height.px]="height()">
      @if (drawn()) {
        <canvas
          baseChart
          type="bar"
          [data]="data()"
          [options]="options()"
          [plugins]="plugins"
          role="img"
          [attr.aria-label]="label()"
        ></canvas>
      }
    </div>
  `,
})
export class ShareBarsPart {
  /** The canvas is made when the chart comes near the screen (or the page prints). */
  protected readonly drawn = nearViewport();
  readonly bars = input.required<ShareBar[]>();
  readonly reference = input<number | null>(null);
  /** A comparison group's figure: a second line, dotted green. */
  readonly groupReference = input<number | null>(null);
  readonly label = input.required<string>();
  readonly suppressedLabel = input.required<string>();
  /** `share` axis 0..100%; `ratio` (observed/expected) a plain number axis; `days` whole days. */
  readonly kind = input<BarKind>('share');
  readonly max = input.required<number>();
  readonly labelWidth = input.required<number>();
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
  protected readonly options = computed<ChartConfiguration<'bar'>['options']>(() => {
    const max = this.max();
    const labelWidth = this.labelWidth();
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
              const f = formatterOf(this.kind());
              return b.low != null && b.high != null ? `${f(b.value)} (${f(b.low)} – ${f(b.high)})` : f(b.value);
            },
          },
        },
      },
      scales: {
        x: {
          min: 0,
          max,
          ticks: {
            callback: (v) => formatterOf(this.kind())(Number(v)),
          },
        },
        y: {
          ticks: { autoSkip: false },
          afterFit: (axis) => {
            axis.width = labelWidth;
          },
        },
      },
    };
  });
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
        // The national reference (dashed) and a comparison group's figure (dotted), top to bottom.
        const vertical = (value: number | null, colour: string, width: number, dash: number[]) => {
          if (value === null) return;
          ctx.strokeStyle = colour;
          ctx.lineWidth = width;
          ctx.setLineDash(dash);
          ctx.beginPath();
          ctx.moveTo(x.getPixelForValue(value), y.top);
          ctx.lineTo(x.getPixelForValue(value), y.bottom);
          ctx.stroke();
        };
        vertical(this.reference(), REFERENCE_COLOUR, 2, [6, 4]);
        vertical(this.groupReference(), GROUP_COLOUR, 2.5, [2, 3]);
        ctx.restore();
      },
    },
  ];
}

/**
 * Horizontal bars of a share (or a ratio) per group with interval whiskers, a reference line (the
 * national figure) and suppressed rows as an empty hatched bar with their label. Long lists are
 * drawn as parts of PART bars on one scale, each part when it comes near the screen.
 */
@Component({
  selector: 'km-share-bars',
  imports: [ShareBarsPart],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @for (part of parts(); track $index) {
      <km-share-bars-part
        [bars]="part"
        [reference]="reference()"
        [groupReference]="groupReference()"
        [label]="
          parts().length > 1
            ? label() + ' (' + ($index * size + 1) + '–' + ($index * size + part.length) + ')'
            : label()
        "
        [suppressedLabel]="suppressedLabel()"
        [kind]="kind()"
        [max]="max()"
        [labelWidth]="labelWidth()"
      />
    }
  `,
})
export class ShareBarsChart {
  readonly bars = input.required<ShareBar[]>();
  readonly reference = input<number | null>(null);
  /** A comparison group's figure: a second line, dotted green. */
  readonly groupReference = input<number | null>(null);
  readonly label = input.required<string>();
  readonly suppressedLabel = input.required<string>();
  /** `share` axis 0..100%; `ratio` (observed/expected) a plain number axis; `days` whole days. */
  readonly kind = input<BarKind>('share');
  protected readonly size = PART;
  protected readonly parts = computed(() => {
    const bars = this.bars();
    const out: ShareBar[][] = [];
    for (let i = 0; i < bars.length; i += PART) out.push(bars.slice(i, i + PART));
    return out;
  });
  /** One scale for all parts. */
  protected readonly max = computed(() =>
    this.kind() === 'share'
      ? 1
      : this.kind() === 'days'
        ? Math.max(35, ...this.bars().map((b) => b.high ?? b.value ?? 0), (this.reference() ?? 0) + 7)
        : Math.max(2, ...this.bars().map((b) => b.high ?? b.value ?? 0)),
  );
  /** One label column for all parts, so their bars line up (about 7 px per character). */
  protected readonly labelWidth = computed(() =>
    Math.min(260, 16 + 7 * Math.max(4, ...this.bars().map((b) => b.label.length))),
  );
}
