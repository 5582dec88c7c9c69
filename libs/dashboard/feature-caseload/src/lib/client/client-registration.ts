import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { AbstractControl, FormBuilder, ReactiveFormsModule, ValidationErrors, Validators } from '@angular/forms';
import { TranslatePipe } from '@ngx-translate/core';
import {
  EARLIEST_DATE,
  formatDate,
  todayInAmsterdam,
  type ClientDetail,
  type CrisisKind,
} from '@klantmonitor/shared/domain';
import { apiError, ClientsApi } from '@klantmonitor/dashboard/data-access';
import { formErrors, KmControl, KmField, KmFormFeedback } from '@klantmonitor/dashboard/ui-forms';
import { KmDatePipe } from '@klantmonitor/dashboard/util-i18n';
import { CrisisField } from '../crisis-field';
import { KmCardFeedback } from './card-feedback';
import { ClientRecordStore, type CardFeedback } from './client-record.store';

/** The last day the request may be on: today, and not after the first meeting, the dropout or the closing. */
function latestRequestDay(c: ClientDetail): string {
  const t = c.trajectory;
  return [todayInAmsterdam(), t.firstContact, t.dropout?.date, t.closed?.date]
    .filter((d): d is string => !!d)
    .reduce((a, b) => (a < b ? a : b));
}

/**
 * The request for help (#26): when it came and whether there was a crisis, and the legal term of the
 * first meeting that follows. A counselor corrects a wrong date or crisis here (PUT
 * /trajectories/:id/registration); the term and its alert are computed again by the server.
 */
@Component({
  selector: 'km-client-registration',
  imports: [
    ReactiveFormsModule,
    TranslatePipe,
    KmDatePipe,
    KmField,
    KmControl,
    KmFormFeedback,
    KmCardFeedback,
    CrisisField,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (store.client(); as c) {
      <h3 id="registration-title">{{ 'client.registration' | translate }}</h3>
      @if (editing()) {
        <form
          #regEl
          [formGroup]="form"
          (ngSubmit)="save(regEl)"
          aria-labelledby="registration-title"
          data-testid="registration-form"
          novalidate
        >
          <km-form-feedback [errors]="errs" />
          <km-field [errors]="errs" name="registeredOn" [hint]="'client.registrationDateHint' | translate">
            <input kmControl type="date" formControlName="registeredOn" [min]="earliest" [max]="latest()" required />
          </km-field>
          <km-crisis-field [errors]="errs" />
          <div class="button-row">
            <button type="submit" class="primary" [disabled]="store.busy()">
              {{ 'client.registrationSave' | translate }}
            </button>
            <button type="button" class="secondary" (click)="cancel()">{{ 'client.cancel' | translate }}</button>
          </div>
        </form>
      } @else {
        <dl data-testid="registration">
          <dt>{{ 'newClient.registeredOn' | translate }}</dt>
          <dd>{{ c.trajectory.registeredOn | kmDate }}</dd>
          <dt>{{ 'newClient.crisis' | translate }}</dt>
          <dd>
            {{
              c.trajectory.crisis ? ('crisis.' + c.trajectory.crisis | translate) : ('newClient.noCrisis' | translate)
            }}
          </dd>
          <dt>{{ 'client.firstMeetingDue' | translate }}</dt>
          <dd>{{ c.trajectory.firstMeetingDue | kmDate }}</dd>
        </dl>
        <button type="button" class="secondary" (click)="edit(c)" data-testid="edit-registration">
          {{ 'client.registrationEdit' | translate }}
        </button>
      }
      <km-card-feedback [feedback]="feedback()" />
    }
  `,
})
export class ClientRegistration {
  protected readonly store = inject(ClientRecordStore);
  private readonly api = inject(ClientsApi);
  protected readonly editing = signal(false);
  protected readonly feedback = signal<CardFeedback | null>(null);
  protected readonly earliest = EARLIEST_DATE;
  /** The form's upper bound, for the date picker and the check before sending. */
  protected readonly latest = signal(todayInAmsterdam());
  protected readonly errs = formErrors('client.errors', {
    registeredOn: { label: 'newClient.registeredOn', id: 'reg-date' },
    crisis: { label: 'newClient.crisis', id: 'reg-crisis' },
  });
  protected readonly form = inject(FormBuilder).nonNullable.group({
    registeredOn: ['', [Validators.required, (c: AbstractControl) => this.inRange(c)]],
    crisis: [''],
  });

  /** A day from 1-1-2000 up to `latest` (said under the field, never corrected). */
  private inRange(c: AbstractControl): ValidationErrors | null {
    const v = c.value as string;
    if (!v) return null;
    return /^\d{4}-\d{2}-\d{2}$/.test(v) && v >= EARLIEST_DATE && v <= this.latest() ? null : { dateRange: true };
  }

  protected edit(c: ClientDetail): void {
    this.latest.set(latestRequestDay(c));
    this.form.setValue({ registeredOn: c.trajectory.registeredOn, crisis: c.trajectory.crisis ?? '' });
    this.errs.clear();
    this.feedback.set(null);
    this.editing.set(true);
  }

  protected cancel(): void {
    this.errs.clear();
    this.editing.set(false);
  }

  protected async save(root: HTMLElement): Promise<void> {
    const c = this.store.client();
    if (!c) return;
    this.feedback.set(null);
    if (!this.errs.check(this.form, root)) return;
    const v = this.form.getRawValue();
    const crisis = (v.crisis || null) as CrisisKind | null;
    if (v.registeredOn === c.trajectory.registeredOn && crisis === c.trajectory.crisis) {
      this.editing.set(false);
      this.feedback.set({ kind: 'notice', text: this.store.t('client.nothingChanged') });
      return;
    }
    const failed = await this.store.run(
      this.api.setRegistration(c.trajectory.id, { registeredOn: v.registeredOn, crisis }),
    );
    if (failed === null) {
      this.editing.set(false);
      // The term the server computed, said in words (the record above shows it too).
      const due = this.store.client()?.trajectory.firstMeetingDue ?? '';
      this.feedback.set({ kind: 'notice', text: this.store.t('client.registrationSaved', { date: formatDate(due) }) });
      return;
    }
    this.errs.fromApi(apiError(failed), this.store.errorText(failed), root);
  }
}
