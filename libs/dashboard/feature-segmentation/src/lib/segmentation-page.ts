import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { SegmentationStore } from './segmentation.store';
import { SegmentationNewRunSection } from './sections/new-run-section';
import { SegmentationOutcomesSection } from './sections/outcomes-section';
import { SegmentationProfileSection } from './sections/profile-section';
import { SegmentationRunsSection } from './sections/runs-section';
import { SegmentationScenariosSection } from './sections/scenarios-section';
import { SegmentationTransitionsSection } from './sections/transitions-section';

/**
 * /segmentatie (docs/analytics.md "Segmentation screens"), organisation admins: start an analysis of the
 * intake answers (with progress), compare the scenarios (within-group spread and silhouette against
 * k, with a suggestion), read the profile table like the study's (▲ / ▼ against the rest), name the
 * groups and use them, see their outcomes and how client types change over a year. One component
 * per section (./sections/), sharing SegmentationStore.
 */
@Component({
  selector: 'km-segmentation-page',
  imports: [
    TranslatePipe,
    SegmentationNewRunSection,
    SegmentationRunsSection,
    SegmentationScenariosSection,
    SegmentationProfileSection,
    SegmentationOutcomesSection,
    SegmentationTransitionsSection,
  ],
  providers: [SegmentationStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>{{ 'segmentation.title' | translate }}</h1>
    <p class="lead">{{ 'segmentation.intro' | translate }}</p>
    @if (store.canManage()) {
      <km-segmentation-new-run />
    } @else {
      <p class="notice" data-testid="seg-read-only">{{ 'segmentation.readOnly' | translate }}</p>
    }
    @if (store.runs().length) {
      <km-segmentation-runs />
    }
    @if (store.run()) {
      <km-segmentation-scenarios />
      <km-segmentation-profile />
      <km-segmentation-outcomes />
    }
    <km-segmentation-transitions />
  `,
})
export class SegmentationPage {
  protected readonly store = inject(SegmentationStore);
}
