import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { formatPercent } from '@klantmonitor/dashboard/ui-charts';
import { SegmentationStore } from '../segmentation.store';

/** How client types changed over the last year, as a table shaded by share. */
@Component({
  selector: 'km-segmentation-transitions',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .heat td {
      text-align: right;
    }
  `,
  templateUrl: './transitions-section.html',
})
export class SegmentationTransitionsSection {
  protected readonly store = inject(SegmentationStore);
  protected readonly fmtPct = formatPercent;
  /** Darker for a larger share; text stays dark enough to read on every shade. */
  protected heat(v: number): string {
    return `rgba(31, 95, 153, ${(0.08 + v * 0.45).toFixed(2)})`;
  }
}
