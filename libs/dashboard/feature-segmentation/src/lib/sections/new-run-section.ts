import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { DEFAULT_INTAKE_ITEMS } from '@klantmonitor/shared/domain';
import { SegmentationStore } from '../segmentation.store';

/** Starting an analysis of the intake answers (organisation admins), with its progress and a stop. */
@Component({
  selector: 'km-segmentation-new-run',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './new-run-section.html',
})
export class SegmentationNewRunSection {
  protected readonly store = inject(SegmentationStore);
  protected readonly kMin = signal(2);
  protected readonly kMax = signal(8);
  protected readonly restarts = signal(10);
  protected readonly seed = signal(42);
  protected readonly answeredFrom = signal('');
  protected readonly answeredTo = signal('');
  protected readonly allItems = DEFAULT_INTAKE_ITEMS;
  protected readonly chosen = signal(new Set(DEFAULT_INTAKE_ITEMS.map((i) => i.code)));

  protected toggleItem(code: string): void {
    this.chosen.update((c) => {
      const next = new Set(c);
      if (!next.delete(code)) next.add(code);
      return next;
    });
  }

  protected start(): Promise<void> | void {
    if (this.chosen().size < 2) return this.store.refuse('segmentation.itemsTooFew');
    const all = this.chosen().size === DEFAULT_INTAKE_ITEMS.length;
    return this.store.start({
      kMin: this.kMin(),
      kMax: this.kMax(),
      restarts: this.restarts(),
      seed: this.seed(),
      ...(all ? {} : { items: DEFAULT_INTAKE_ITEMS.map((i) => i.code).filter((c) => this.chosen().has(c)) }),
      ...(this.answeredFrom() ? { answeredFrom: this.answeredFrom() } : {}),
      ...(this.answeredTo() ? { answeredTo: this.answeredTo() } : {}),
    });
  }
}
