import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import {
  Chart,
  ChartConfiguration,
  type Plugin,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';
import { BaseChartDirective } from 'ng2-charts';
import { nearViewport } from './on-screen';
import type { FunnelLimits, FunnelPoint } from '@klantmonitor/shared/metrics';
import { formatInt, formatPercent, PALETTE } from './formats';

Chart.register(ScatterController, PointElement, LineElement, LinearScale, Legend, Tooltip);

export interface FunnelLabels {
  title: string;
  reference: string;
  limits95: string;
  limits998: string;
  higher: string;
  lower: string;
  within: string;
  xAxis: string;
  yAxis: string;
}

/**
 * Funnel plot: share against the number of clients per municipality, the reference share and the
 * 95% / 99.8% control limits (shared/metrics). Verdicts differ by shape and colour: triangle
 * "clearly higher", square "clearly lower", circle within.
 */
@Component({
  selector: 'km-funnel-chart',
  imports: [BaseChartDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="chart-canvas" style="height: 420px">
      @if (drawn()) {
        <canvas
          baseChart
          type="scatter"
          [data]="data()"
          [options]="options()"
          [plugins]="plugins"
          [attr.data-named]="named().join(', ')"
          role="img"
          [attr.aria-label]="labels().title"
        ></canvas>
      }
    </div>
  `,
})
export class FunnelChart {
  /** The canvas is made when the chart comes near the screen (or the page prints). */
  protected readonly drawn = nearViewport();
  readonly points = input.required<(FunnelPoint & { label: string })[]>();
  readonly curve = input.required<FunnelLimits[]>();
  readonly p0 = input.required<number>();
  readonly labels = input.required<FunnelLabels>();
  /** Names of points written on the chart beside their dot (the caller's own municipalities, #25). */
  readonly named = input<readonly string[]>([]);
  /** Writes the names of `named` points beside their dots, with a white halo so lines stay readable. */
  protected readonly plugins: Plugin<'scatter'>[] = [
    {
      id: 'kmPointNames',
      afterDatasetsDraw: (chart) => {
        const names = new Set(this.named());
        if (!names.size) return;
        const ctx = chart.ctx;
        ctx.save();
        ctx.font = '600 12px system-ui, sans-serif';
        ctx.textBaseline = 'bottom';
        ctx.lineWidth = 3;
        ctx.strokeStyle = '#ffffff';
        ctx.fillStyle = '#1b1f24';
        chart.data.datasets.forEach((ds, i) => {
          const meta = chart.getDatasetMeta(i);
          if (meta.hidden) return;
          (ds.data as { name?: string }[]).forEach((raw, j) => {
            if (!raw?.name || !names.has(raw.name)) return;
            const el = meta.data[j];
            if (!el) return;
            // Left of the dot near the right edge, right of it elsewhere.
            const right = el.x + 10 + ctx.measureText(raw.name).width < chart.chartArea.right;
            ctx.textAlign = right ? 'left' : 'right';
            const x = right ? el.x + 9 : el.x - 9;
            ctx.strokeText(raw.name, x, el.y - 4);
            ctx.fillText(raw.name, x, el.y - 4);
          });
        });
        ctx.restore();
      },
    },
  ];
  protected readonly data = computed<ChartConfiguration<'scatter'>['data']>(() => {
    const c = this.curve();
    const l = this.labels();
    // The lower line of a pair has the same name in the tooltip and no entry of its own in the legend.
    const line = (label: string, pick: (x: FunnelLimits) => number, colour: string, dash: number[], lower = false) => ({
      type: 'line' as const,
      label,
      kmLower: lower,
      data: c.map((x) => ({ x: x.n, y: pick(x) })),
      borderColor: colour,
      borderDash: dash,
      borderWidth: 1.5,
      pointRadius: 0,
      showLine: true,
      fill: false,
    });
    const pts = (
      verdict: FunnelPoint['verdict'],
      label: string,
      colour: string,
      style: 'triangle' | 'rect' | 'circle',
    ) => ({
      label,
      data: this.points()
        .filter((p) => p.verdict === verdict)
        .map((p) => ({ x: p.n, y: p.share, name: p.label })),
      backgroundColor: colour,
      borderColor: colour,
      pointStyle: style,
      pointRadius: verdict === 'within' ? 4 : 7,
    });
    return {
      datasets: [
        pts('higher', l.higher, PALETTE[2], 'triangle'),
        pts('lower', l.lower, PALETTE[5], 'rect'),
        pts('within', l.within, PALETTE[0], 'circle'),
        line(l.reference, () => this.p0(), '#000000', []),
        line(l.limits998, (x) => x.high998, PALETTE[1], []),
        line(l.limits998, (x) => x.low998, PALETTE[1], [], true),
        line(l.limits95, (x) => x.high95, PALETTE[4], [5, 4]),
        line(l.limits95, (x) => x.low95, PALETTE[4], [5, 4], true),
      ] as ChartConfiguration<'scatter'>['data']['datasets'],
    };
  });
  protected readonly options = computed<ChartConfiguration<'scatter'>['options']>(() => ({
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: {
      legend: {
        position: 'bottom',
        labels: {
          usePointStyle: true,
          filter: (item, data) => !(data.datasets[item.datasetIndex ?? 0] as unknown as { kmLower?: boolean }).kmLower,
        },
      },
      tooltip: {
        callbacks: {
          label: (ctx) => {
            const raw = ctx.raw as { x: number; y: number; name?: string };
            return raw.name
              ? `${raw.name}: ${formatPercent(raw.y)} van ${formatInt(raw.x)}`
              : `${formatPercent(raw.y)}`;
          },
        },
      },
    },
    scales: {
      x: {
        type: 'linear',
        min: 0,
        title: { display: true, text: this.labels().xAxis },
        ticks: { callback: (v) => formatInt(Number(v)) },
      },
      y: {
        min: 0,
        max: 1,
        title: { display: true, text: this.labels().yAxis },
        ticks: { callback: (v) => formatPercent(Number(v)) },
      },
    },
  }));
}
