import { afterNextRender, ChangeDetectionStrategy, Component, computed, inject, Injector, signal } from '@angular/core';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { DEFAULT_INTAKE_ITEMS } from '@klantmonitor/shared/domain';
import type { ProfileRow } from '@klantmonitor/dashboard/data-access';
import { formatPercent } from '@klantmonitor/dashboard/ui-charts';
import { KmControl, KmField } from '@klantmonitor/dashboard/ui-forms';
import { SegmentationStore } from '../segmentation.store';

const STATEMENT = new Map(DEFAULT_INTAKE_ITEMS.map((i) => [i.code, i.nl]));
/** The API's limits of a group's name and description. */
const NAME_MAX = 60;
const DESCRIPTION_MAX = 500;

/** The profile table like the study's (▲ / ▼ against the rest), and naming and using the groups. */
@Component({
  selector: 'km-segmentation-profile',
  imports: [TranslatePipe, KmField, KmControl],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .flag-high {
      color: #05612f;
      font-weight: 600;
    }
    .flag-low {
      color: #8a1c1c;
      font-weight: 600;
    }
    .names input {
      max-width: 20rem;
    }
  `,
  templateUrl: './profile-section.html',
})
export class SegmentationProfileSection {
  protected readonly store = inject(SegmentationStore);
  private readonly translate = inject(TranslateService);
  private readonly injector = inject(Injector);
  protected readonly fmtPct = formatPercent;
  protected readonly nameMax = NAME_MAX;
  protected readonly descriptionMax = DESCRIPTION_MAX;
  /** A message under a name or description field, by the field's id. */
  protected readonly fieldErrors = signal<Record<string, string>>({});
  protected readonly profileItems = computed(() => [...new Set((this.store.profile()?.rows ?? []).map((r) => r.item))]);

  protected total(sizes: number[]): number {
    return sizes.reduce((a, b) => a + b, 0);
  }
  protected statement(item: string): string {
    return STATEMENT.get(item) ?? item;
  }
  protected cell(item: string, segment: number): ProfileRow | undefined {
    return this.store.profile()?.rows.find((r) => r.item === item && r.segment === segment);
  }

  /** Every group a name (at most 60 characters), descriptions at most 500: said at the field, never cut. */
  protected async activate(): Promise<void> {
    const p = this.store.profile();
    if (!p) return;
    const t = (k: string, params?: Record<string, unknown>) => this.translate.instant(k, params) as string;
    const names = p.sizes.map((_, i) => (this.store.names()[i] ?? '').trim());
    const descriptions = p.sizes.map((_, i) => (this.store.descriptions()[i] ?? '').trim());
    const problems: Record<string, string> = {};
    // In the order of the form: name 1, description 1, name 2, ... (focus goes to the first).
    names.forEach((n, i) => {
      const label = t('segmentation.nameOf', { n: i + 1 });
      if (!n) problems[`seg-name-${i}`] = t('segmentation.nameEmpty');
      else if (n.length > NAME_MAX)
        problems[`seg-name-${i}`] = t('forms.tooLong', { label, max: NAME_MAX, over: n.length - NAME_MAX });
      const d = descriptions[i];
      if (d.length > DESCRIPTION_MAX)
        problems[`seg-description-${i}`] = t('forms.tooLong', {
          label: t('segmentation.descriptionShort', { n: i + 1 }),
          max: DESCRIPTION_MAX,
          over: d.length - DESCRIPTION_MAX,
        });
    });
    this.fieldErrors.set(problems);
    const first = Object.keys(problems)[0];
    if (first) {
      this.store.noticeParams.set({});
      this.store.notice.set(names.some((n) => !n) ? 'segmentation.namesMissing' : 'segmentation.namesTooLong');
      afterNextRender(() => document.getElementById(first)?.focus(), { injector: this.injector });
      return;
    }
    await this.store.activate(names, descriptions);
  }
}
