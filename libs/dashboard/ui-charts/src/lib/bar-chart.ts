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

// Register only what bar charts need, so the rest of chart.js stays out of the bundle.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface BarDatum {
  label: string;
  value: number;
}

/**
 * A horizontal bar chart with a text alternative: the same figures as a visually hidden table,
 * so screen-reader users get the numbers too. ng2-charts destroys the chart with the component.
 */
@Component({
  selector: 'km-bar-chart',
  imports: [BaseChartDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <figure class="chart">
      <figcaption>{{ title() }}</figcaption>
      <div class="chart-canvas" [style.height.px]="height()">
        <canvas
          baseChart
          type="bar"
          [data]="data()"
          [options]="options"
          role="img"
          [attr.aria-label]="title()"
        ></canvas>
      </div>
      <table class="visually-hidden">
        <caption>
          {{
            title()
          }}
        </caption>
        <tbody>
          @for (d of values(); track d.label) {
            <tr>
              <th scope="row">{{ d.label }}</th>
              <td>{{ d.value }}</td>
            </tr>
          }
        </tbody>
      </table>
    </figure>
  `,
})
export class BarChart {
  readonly title = input.required<string>();
  readonly values = input.required<BarDatum[]>();
  protected readonly height = computed(() => 40 + this.values().length * 32);
  protected readonly data = computed<ChartConfiguration<'bar'>['data']>(() => ({
    labels: this.values().map((d) => d.label),
    datasets: [{ data: this.values().map((d) => d.value), backgroundColor: '#1d5c8f', label: this.title() }],
  }));
  protected readonly options: ChartConfiguration<'bar'>['options'] = {
    indexAxis: 'y',
    responsive: true,
    maintainAspectRatio: false,
    plugins: { legend: { display: false } },
    scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
  };
}
