import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { QuestionnairesApi } from '@klantmonitor/dashboard/data-access';
import { ConfirmService } from '@klantmonitor/dashboard/ui-forms';
import { KmDatePipe } from '@klantmonitor/dashboard/util-i18n';
import { KmCardFeedback } from './card-feedback';
import { ClientRecordStore, type CardFeedback } from './client-record.store';

/** Open signals about the client (stalled, low experience, unanswered), each handled after a question. */
@Component({
  selector: 'km-client-alerts-card',
  imports: [TranslatePipe, KmDatePipe, KmCardFeedback],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (store.client(); as c) {
      @if (c.alerts.length || feedback()) {
        <section class="card warn" aria-labelledby="alerts-title">
          <h2 id="alerts-title">{{ 'client.alerts' | translate }}</h2>
          <ul>
            @for (a of c.alerts; track a.id) {
              <li data-testid="alert" [attr.data-kind]="a.kind">
                @switch (a.kind) {
                  @case ('stalled') {
                    {{ 'client.alertStalled' | translate: { date: (a.raisedOn | kmDate) } }}
                  }
                  @case ('low_experience') {
                    {{
                      'questionnaires.alertLow'
                        | translate: { date: (a.raisedOn | kmDate), signals: signalsText(a.details) }
                    }}
                  }
                  @case ('unanswered') {
                    {{ 'questionnaires.alertUnanswered' | translate: { date: (a.raisedOn | kmDate) } }}
                  }
                  @case ('first_meeting') {
                    {{ 'client.alertFirstMeeting' | translate: { date: (dueOf(a.details) | kmDate) } }}
                  }
                }
                @if (a.kind !== 'stalled' && a.kind !== 'first_meeting') {
                  <button type="button" class="link" (click)="resolve(a.id)">
                    {{ 'questionnaires.resolve' | translate }}
                  </button>
                }
              </li>
            }
          </ul>
          <km-card-feedback [feedback]="feedback()" />
        </section>
      }
    }
  `,
})
export class ClientAlertsCard {
  protected readonly store = inject(ClientRecordStore);
  private readonly questionnaires = inject(QuestionnairesApi);
  private readonly confirm = inject(ConfirmService);
  protected readonly feedback = signal<CardFeedback | null>(null);

  /** The due date a first-meeting alert carries. */
  protected dueOf(details: Record<string, unknown> | null): string {
    return String(details?.['dueOn'] ?? '');
  }

  /** The signals of a low-experience alert, in words. */
  protected signalsText(details: Record<string, unknown> | null): string {
    const signals = (details?.['signals'] as string[] | undefined) ?? [];
    return signals.map((sig) => this.store.t(`questionnaires.signal.${sig}`)).join(', ');
  }

  protected async resolve(alertId: string): Promise<void> {
    if (!(await this.confirm.action('resolveAlert', this.store.t('client.resolveAsk')))) return;
    this.feedback.set(await this.store.act(this.questionnaires.resolveAlert(alertId)));
  }
}
