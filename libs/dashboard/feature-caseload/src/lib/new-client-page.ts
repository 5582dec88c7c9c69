import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { AbstractControl, FormBuilder, ReactiveFormsModule, ValidationErrors, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import {
  EARLIEST_DATE,
  TEXT_LIMITS,
  todayInAmsterdam,
  type CreateClientRequest,
  type CrisisKind,
} from '@klantmonitor/shared/domain';
import { apiError, AuthStore, ClientsApi, localErrorText } from '@klantmonitor/dashboard/data-access';
import { dateRange, formErrors, KmControl, KmField, KmFormFeedback } from '@klantmonitor/dashboard/ui-forms';
import { ClientFields } from './client-fields';
import { CrisisField } from './crisis-field';

/**
 * One of the two days is needed (a request that waits has no first meeting yet), and the request
 * comes first (#26): said at "Aangemeld op", never corrected.
 */
function requestBeforeMeeting(c: AbstractControl): ValidationErrors | null {
  const first = (c.parent?.get('firstContact')?.value as string | undefined) ?? '';
  const registered = c.value as string;
  if (!registered && !first) return { required: true };
  return registered && first && registered > first ? { order: true } : null;
}

/** Registers a client: own client number (never a BSN), municipality, first contact, optional contact data. */
@Component({
  selector: 'km-new-client-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    TranslatePipe,
    KmField,
    KmControl,
    KmFormFeedback,
    ClientFields,
    CrisisField,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p>
      <a routerLink="/clienten">← {{ 'client.back' | translate }}</a>
    </p>
    <h1>{{ 'newClient.title' | translate }}</h1>
    <p class="lead">{{ 'newClient.intro' | translate }}</p>
    <form #formEl [formGroup]="form" (ngSubmit)="create(formEl)" novalidate>
      <km-form-feedback [errors]="errs" />
      <km-field [errors]="errs" name="clientRef" [max]="limits.clientRef">
        <input kmControl formControlName="clientRef" autocomplete="off" required />
      </km-field>
      <km-field [errors]="errs" name="municipality">
        <select kmControl formControlName="municipality" required>
          @for (m of municipalities(); track m.code) {
            <option [value]="m.code">{{ m.name }}</option>
          }
        </select>
      </km-field>
      <km-field [errors]="errs" name="registeredOn" [hint]="'newClient.registeredOnHint' | translate">
        <input kmControl type="date" formControlName="registeredOn" min="2000-01-01" [max]="today" />
      </km-field>
      <km-crisis-field [errors]="errs" />
      <km-field [errors]="errs" name="firstContact" [hint]="'newClient.firstContactHint' | translate">
        <input kmControl type="date" formControlName="firstContact" min="2000-01-01" [max]="today" />
      </km-field>
      <km-client-fields [errors]="errs" />
      <button type="submit" class="primary" [disabled]="busy()">{{ 'newClient.create' | translate }}</button>
    </form>
  `,
})
export class NewClientPage {
  private readonly api = inject(ClientsApi);
  private readonly router = inject(Router);
  private readonly auth = inject(AuthStore);
  protected readonly today = todayInAmsterdam();
  protected readonly municipalities = computed(() => this.auth.me()?.organisation?.municipalities ?? []);
  private readonly translate = inject(TranslateService);
  protected readonly busy = signal(false);
  protected readonly limits = TEXT_LIMITS;
  protected readonly errs = formErrors('newClient.errors', {
    clientRef: { label: 'newClient.clientRef', id: 'nc-ref' },
    municipality: { label: 'newClient.municipality', id: 'nc-municipality' },
    registeredOn: {
      label: 'newClient.registeredOn',
      id: 'nc-registered',
      required: 'newClient.errors.registeredOrFirst',
    },
    crisis: { label: 'newClient.crisis', id: 'nc-crisis' },
    firstContact: { label: 'newClient.firstContact', id: 'nc-first' },
    email: { label: 'newClient.email', id: 'nc-email' },
    phone: { label: 'newClient.phone', id: 'nc-phone' },
    householdType: { label: 'newClient.householdType', id: 'nc-household' },
    incomeBand: { label: 'newClient.incomeBand', id: 'nc-income' },
    birthYearBand: { label: 'newClient.birthYearBand', id: 'nc-birth' },
  });
  protected readonly form = inject(FormBuilder).nonNullable.group({
    clientRef: ['', [Validators.required, Validators.maxLength(TEXT_LIMITS.clientRef)]],
    municipality: [this.municipalities()[0]?.code ?? '', Validators.required],
    // Empty: the same day as the first meeting (the API's default).
    registeredOn: ['', [dateRange(EARLIEST_DATE, () => todayInAmsterdam()), requestBeforeMeeting]],
    crisis: [''],
    // Empty: the client waits for the first meeting (#26).
    firstContact: [this.today, dateRange(EARLIEST_DATE, () => todayInAmsterdam())],
    email: ['', [Validators.maxLength(TEXT_LIMITS.email), Validators.email]],
    phone: ['', Validators.maxLength(TEXT_LIMITS.phone)],
    householdType: [''],
    incomeBand: [''],
    birthYearBand: [''],
  });

  async create(formEl: HTMLElement): Promise<void> {
    // The request's rule reads the first meeting too: checked again with the form as it is now.
    this.form.controls.registeredOn.updateValueAndValidity();
    if (!this.errs.check(this.form, formEl)) return;
    const v = this.form.getRawValue();
    const t = (k: string, p?: Record<string, unknown>) => this.translate.instant(k, p);
    const body: CreateClientRequest = {
      clientRef: v.clientRef.trim(),
      municipality: v.municipality,
      ...(v.registeredOn ? { registeredOn: v.registeredOn } : {}),
      ...(v.crisis ? { crisis: v.crisis as CrisisKind } : {}),
      ...(v.firstContact ? { firstContact: v.firstContact } : {}),
    };
    // Optional fields are sent only when filled in.
    for (const k of ['email', 'phone', 'householdType', 'incomeBand', 'birthYearBand'] as const) {
      if (v[k].trim()) (body as unknown as Record<string, string>)[k] = v[k].trim();
    }
    this.busy.set(true);
    try {
      const created = await firstValueFrom(this.api.create(body));
      await this.router.navigate(['/clienten', created.id]);
    } catch (e) {
      const err = apiError(e);
      // A number in use is about the number: said under that field.
      if (err.statusCode === 409) this.errs.fieldError('clientRef', t('newClient.errors.clientRefInUse'), formEl);
      else this.errs.fromApi(err, localErrorText(e, t, 'newClient.errors'), formEl);
    } finally {
      this.busy.set(false);
    }
  }
}
