import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { formatDate } from '@klantmonitor/shared/domain';
import { formatInt } from '@klantmonitor/dashboard/ui-charts';
import { SegmentationStore } from '../segmentation.store';

/** The analyses so far (identical ones folded into one row), each to open. */
@Component({
  selector: 'km-segmentation-runs',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './runs-section.html',
})
export class SegmentationRunsSection {
  protected readonly store = inject(SegmentationStore);
  protected readonly fmtInt = formatInt;
  protected fmtDateTime(iso: string): string {
    return formatDate(iso, 'dateTime');
  }
}
