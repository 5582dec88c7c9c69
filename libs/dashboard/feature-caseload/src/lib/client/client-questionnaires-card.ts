import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { KmDatePipe } from '@klantmonitor/dashboard/util-i18n';
import { answerTrends } from '../answer-trends';
import { ClientRecordStore } from './client-record.store';

/** The questionnaires sent to the client and the answers, with a small trend per question. */
@Component({
  selector: 'km-client-questionnaires-card',
  imports: [TranslatePipe, KmDatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './client-questionnaires-card.html',
})
export class ClientQuestionnairesCard {
  protected readonly store = inject(ClientRecordStore);
  protected readonly itemCodes = [
    'onrust_financien',
    'geloof_in_oplossing',
    'geluisterd',
    'goed_geholpen',
    'weet_wat_te_doen',
  ];
  /** A small trend per item under the answers (answer-trends.ts). */
  protected readonly trends = computed(() =>
    answerTrends(this.store.client()?.questionnaires.responses ?? [], this.itemCodes),
  );

  /** A delivery failure in words when it is a known one; the provider's own text otherwise. */
  protected reasonText(reason: string): string {
    const key = `questionnaires.reason.${reason}`;
    const text = this.store.t(key);
    return text === key ? reason : text;
  }
}
