import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { TranslatePipe } from '@ngx-translate/core';
import { TEXT_LIMITS, type ClientDetail, type UpdateClientRequest } from '@klantmonitor/shared/domain';
import { apiError, ClientsApi } from '@klantmonitor/dashboard/data-access';
import { ConfirmService, formErrors, KmFormFeedback } from '@klantmonitor/dashboard/ui-forms';
import { ClientFields } from '../client-fields';
import { KmDatePipe } from '@klantmonitor/dashboard/util-i18n';
import { KmCardFeedback } from './card-feedback';
import { ClientRecordStore, type CardFeedback } from './client-record.store';
import { ClientRegistration } from './client-registration';

const EURO = new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR' });

/** Contact and intake details (changed in place), the request for help, the caseholder (handed over after a question), spaartegoed. */
@Component({
  selector: 'km-client-details-card',
  imports: [
    ReactiveFormsModule,
    TranslatePipe,
    KmDatePipe,
    KmFormFeedback,
    KmCardFeedback,
    ClientFields,
    ClientRegistration,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './client-details-card.html',
})
export class ClientDetailsCard {
  protected readonly store = inject(ClientRecordStore);
  private readonly api = inject(ClientsApi);
  private readonly confirm = inject(ConfirmService);
  protected readonly editing = signal(false);
  protected readonly feedback = signal<CardFeedback | null>(null);
  protected readonly handFeedback = signal<CardFeedback | null>(null);
  /** The colleague chosen to hand over to (null: the current caseholder). */
  protected readonly handTo = signal<string | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    email: ['', [Validators.maxLength(TEXT_LIMITS.email), Validators.email]],
    phone: ['', Validators.maxLength(TEXT_LIMITS.phone)],
    householdType: [''],
    incomeBand: [''],
    birthYearBand: [''],
  });
  protected readonly errs = formErrors('client.errors', {
    email: { label: 'client.email', id: 'd-email' },
    phone: { label: 'client.phone', id: 'd-phone' },
    householdType: { label: 'newClient.householdType', id: 'd-household' },
    incomeBand: { label: 'newClient.incomeBand', id: 'd-income' },
    birthYearBand: { label: 'newClient.birthYearBand', id: 'd-birth' },
  });

  /** 2.5 -> € 2,50 */
  protected money(euros: number): string {
    return EURO.format(euros);
  }

  /** Opens the form with what is recorded now. */
  protected edit(c: ClientDetail): void {
    this.form.setValue({
      email: c.email ?? '',
      phone: c.phone ?? '',
      householdType: c.householdType ?? '',
      incomeBand: c.incomeBand ?? '',
      birthYearBand: c.birthYearBand ?? '',
    });
    this.errs.clear();
    this.feedback.set(null);
    this.editing.set(true);
  }

  protected cancel(): void {
    this.errs.clear();
    this.editing.set(false);
  }

  /** Sends only what changed; an emptied field is cleared (null), never silently kept. */
  protected async save(root: HTMLElement): Promise<void> {
    const c = this.store.client();
    if (!c) return;
    this.feedback.set(null);
    if (!this.errs.check(this.form, root)) return;
    const v = this.form.getRawValue();
    const now: Record<keyof UpdateClientRequest, string> = {
      email: c.email ?? '',
      phone: c.phone ?? '',
      householdType: c.householdType ?? '',
      incomeBand: c.incomeBand ?? '',
      birthYearBand: c.birthYearBand ?? '',
    };
    const body: Record<string, string | null> = {};
    for (const k of Object.keys(now) as (keyof UpdateClientRequest)[]) {
      const typed = v[k].trim();
      if (typed !== now[k]) body[k] = typed === '' ? null : typed;
    }
    if (!Object.keys(body).length) {
      this.editing.set(false);
      this.feedback.set({ kind: 'notice', text: this.store.t('client.nothingChanged') });
      return;
    }
    const failed = await this.store.run(this.api.update(c.id, body as UpdateClientRequest));
    if (failed === null) {
      this.editing.set(false);
      this.feedback.set({ kind: 'notice', text: this.store.t('client.saved') });
      return;
    }
    const err = apiError(failed);
    const field = err.details?.[0]?.field;
    if (field && this.errs.specs[field]) this.errs.fieldError(field, this.store.errorText(failed), root);
    else this.errs.fail(this.store.errorText(failed), root);
  }

  /** Hands the client to the chosen colleague, after a question. */
  protected async handOver(): Promise<void> {
    const c = this.store.client();
    const to = this.handTo();
    if (!c || !to || to === c.trajectory.counselor?.id) {
      this.handFeedback.set({ kind: 'error', text: this.store.t('client.chooseColleague') });
      return;
    }
    const name = this.store.counselors().find((u) => u.id === to)?.name ?? '';
    const ask = this.store.t('client.handOverAsk', { ref: c.clientRef, name });
    if (!(await this.confirm.action('handOver', ask))) return;
    this.handFeedback.set(await this.store.act(this.api.assignCounselor(c.trajectory.id, to)));
    this.handTo.set(null);
  }
}
