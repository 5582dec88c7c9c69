import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { STEP_CODES, TEXT_LIMITS, type StepCode } from '@klantmonitor/shared/domain';
import { ClientsApi } from '@klantmonitor/dashboard/data-access';
import { ConfirmService } from '@klantmonitor/dashboard/ui-forms';
import { KmDatePipe } from '@klantmonitor/dashboard/util-i18n';
import { KmCardFeedback } from './card-feedback';
import { ClientRecordStore, type CardFeedback } from './client-record.store';

/** The six steps with their dates; a recorded step can be withdrawn, with a note on why. */
@Component({
  selector: 'km-client-steps-card',
  imports: [TranslatePipe, KmDatePipe, KmCardFeedback],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (store.client(); as c) {
      <section class="card" aria-labelledby="steps-title">
        <h2 id="steps-title">{{ 'client.steps' | translate }}</h2>
        <ol class="steps" data-testid="steps">
          @for (s of steps; track s) {
            <li [class.done]="c.trajectory.steps[s]">
              <span class="step-mark" aria-hidden="true">{{ c.trajectory.steps[s] ? '✓' : '○' }}</span>
              <span class="step-name">{{ 'steps.' + s | translate }}</span>
              @if (c.trajectory.steps[s]; as date) {
                <span class="step-date">{{ date | kmDate }}</span>
                @if (s !== 'first_contact' && !standing()[s]) {
                  <span class="muted">({{ 'client.inferred' | translate }})</span>
                }
                @if (standing()[s] && c.trajectory.status === 'open') {
                  <button
                    type="button"
                    class="link"
                    (click)="withdraw(s)"
                    [attr.aria-label]="('client.withdraw' | translate) + ': ' + ('steps.' + s | translate)"
                  >
                    {{ 'client.withdraw' | translate }}
                  </button>
                }
              }
            </li>
          }
        </ol>
        <km-card-feedback [feedback]="feedback()" />
      </section>
    }
  `,
})
export class ClientStepsCard {
  protected readonly store = inject(ClientRecordStore);
  private readonly api = inject(ClientsApi);
  private readonly confirm = inject(ConfirmService);
  protected readonly steps = STEP_CODES;
  protected readonly feedback = signal<CardFeedback | null>(null);

  /** Steps with a standing (not withdrawn) event: those can be withdrawn; the rest are inferred. */
  protected readonly standing = computed(() => {
    const events = this.store.client()?.trajectory.stepEvents ?? [];
    return Object.fromEntries(events.filter((e) => !e.withdrawnAt).map((e) => [e.step, e])) as Partial<
      Record<StepCode, unknown>
    >;
  });

  /** Asks first, with room for a note on why (kept in the history); Annuleren withdraws nothing. */
  protected async withdraw(step: StepCode): Promise<void> {
    const note = await this.confirm.actionWithText(
      'withdrawStep',
      this.store.t('client.withdrawAsk', { step: this.store.t(`steps.${step}`) }),
      this.store.t('client.withdrawNote'),
      TEXT_LIMITS.note,
    );
    if (note === null) return;
    this.feedback.set(await this.store.act(this.api.withdrawStep(this.store.trajectoryId(), step, note || undefined)));
  }
}
