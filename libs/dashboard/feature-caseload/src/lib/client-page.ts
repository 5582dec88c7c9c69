import { ChangeDetectionStrategy, Component, computed, effect, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { KmDatePipe } from '@klantmonitor/dashboard/util-i18n';
import { IntakeForm } from './intake-form';
import { ClientActions } from './client/client-actions';
import { ClientAlertsCard } from './client/client-alerts-card';
import { ClientDetailsCard } from './client/client-details-card';
import { ClientPortalCard } from './client/client-portal-card';
import { ClientQuestionnairesCard } from './client/client-questionnaires-card';
import { ClientRecordStore } from './client/client-record.store';
import { ClientServicesCard } from './client/client-services-card';
import { ClientStepsCard } from './client/client-steps-card';
import { buildTimeline, ClientTimeline } from './client/client-timeline';

/**
 * One client: steps with their dates, services, details, questionnaires, what a counselor records,
 * and a timeline. Each card is a component of its own (./client/), sharing the record through
 * ClientRecordStore (#25 split this page, which had grown to 1,100 lines with seven forms).
 */
@Component({
  selector: 'km-client-page',
  imports: [
    RouterLink,
    TranslatePipe,
    KmDatePipe,
    IntakeForm,
    ClientAlertsCard,
    ClientStepsCard,
    ClientServicesCard,
    ClientDetailsCard,
    ClientQuestionnairesCard,
    ClientActions,
    ClientPortalCard,
    ClientTimeline,
  ],
  providers: [ClientRecordStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './client-page.html',
})
export class ClientPage {
  readonly id = input.required<string>();
  protected readonly store = inject(ClientRecordStore);
  private readonly translate = inject(TranslateService);

  protected readonly timeline = computed(() => {
    const c = this.store.client();
    return c ? buildTimeline(c, (k, p) => this.translate.instant(k, p) as string, this.store.counselors()) : [];
  });

  constructor() {
    effect(() => void this.store.load(this.id()));
  }
}
