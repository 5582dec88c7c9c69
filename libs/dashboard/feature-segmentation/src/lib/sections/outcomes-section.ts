import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { formatInt, formatPercent } from '@klantmonitor/dashboard/ui-charts';
import { SegmentationStore } from '../segmentation.store';

/** How the groups fare: reaching a step within N days, dropout and the median time, with intervals. */
@Component({
  selector: 'km-segmentation-outcomes',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './outcomes-section.html',
})
export class SegmentationOutcomesSection {
  protected readonly store = inject(SegmentationStore);
  private readonly translate = inject(TranslateService);
  protected readonly fmtInt = formatInt;
  protected readonly fmtPct = formatPercent;

  /** "95%: 51,1% – 78,1%" under a share, or nothing without an interval. */
  protected pctInterval(low: number | null | undefined, high: number | null | undefined): string {
    return low == null || high == null
      ? ''
      : this.translate.instant('segmentation.interval', { low: formatPercent(low), high: formatPercent(high) });
  }
  /** "95%: 25 – 41 dagen", the upper end beyond the followed period in words. */
  protected daysInterval(low: number, high: number | null | undefined): string {
    return this.translate.instant('segmentation.interval', {
      low: formatInt(low),
      high:
        high == null
          ? this.translate.instant('benchmark.beyondFollowed')
          : this.translate.instant('benchmark.days', { n: formatInt(high) }),
    });
  }
}
