import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { ChartFrame, formatDecimal, formatInt, LineChart, type ChartTable } from '@klantmonitor/dashboard/ui-charts';
import { SegmentationStore } from '../segmentation.store';

/** The scenarios of a run: within-group spread and silhouette against k, a suggestion, the choice. */
@Component({
  selector: 'km-segmentation-scenarios',
  imports: [TranslatePipe, ChartFrame, LineChart],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './scenarios-section.html',
})
export class SegmentationScenariosSection {
  protected readonly store = inject(SegmentationStore);
  private readonly translate = inject(TranslateService);
  protected readonly fmtInt = formatInt;
  private readonly scenarios = computed(() => this.store.run()?.scenarios ?? []);
  protected readonly kLabels = computed(() => this.scenarios().map((s) => String(s.k)));
  protected readonly spreadSeries = computed(() => [
    { label: this.translate.instant('segmentation.spread') as string, values: this.scenarios().map((s) => s.withinSS) },
  ]);
  protected readonly silhouetteSeries = computed(() => [
    {
      label: this.translate.instant('segmentation.silhouette') as string,
      values: this.scenarios().map((s) => s.silhouette),
    },
  ]);
  protected readonly scenarioTable = computed<ChartTable>(() => ({
    columns: [
      'k',
      this.translate.instant('segmentation.sizes'),
      this.translate.instant('segmentation.spread'),
      this.translate.instant('segmentation.silhouette'),
    ],
    rows: this.scenarios().map((s) => [
      String(s.k),
      s.sizes.map(formatInt).join(' / '),
      formatDecimal(s.withinSS),
      formatDecimal(s.silhouette),
    ]),
  }));
}
