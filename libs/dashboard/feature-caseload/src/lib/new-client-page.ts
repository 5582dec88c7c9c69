import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import {
  BIRTH_YEAR_BANDS,
  HOUSEHOLD_TYPES,
  INCOME_BANDS,
  todayInAmsterdam,
  type CreateClientRequest,
} from '@klantmonitor/shared/domain';
import { apiError, AuthStore, ClientsApi, localErrorText } from '@klantmonitor/dashboard/data-access';

/** Registers a client: own client number (never a BSN), municipality, first contact, optional contact data. */
@Component({
  selector: 'km-new-client-page',
  imports: [ReactiveFormsModule, RouterLink, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p>
      <a routerLink="/clienten">← {{ 'client.back' | translate }}</a>
    </p>
    <h1>{{ 'newClient.title' | translate }}</h1>
    <p class="lead">{{ 'newClient.intro' | translate }}</p>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    <form [formGroup]="form" (ngSubmit)="create()" novalidate>
      <label for="nc-ref">{{ 'newClient.clientRef' | translate }}</label>
      <input id="nc-ref" formControlName="clientRef" maxlength="64" autocomplete="off" required />
      <label for="nc-municipality">{{ 'newClient.municipality' | translate }}</label>
      <select id="nc-municipality" formControlName="municipality" required>
        @for (m of municipalities(); track m.code) {
          <option [value]="m.code">{{ m.name }}</option>
        }
      </select>
      <label for="nc-first">{{ 'newClient.firstContact' | translate }}</label>
      <input id="nc-first" type="date" formControlName="firstContact" min="2000-01-01" [max]="today" required />
      <label for="nc-email">{{ 'newClient.email' | translate }}</label>
      <input id="nc-email" type="email" formControlName="email" autocomplete="off" />
      <label for="nc-phone">{{ 'newClient.phone' | translate }}</label>
      <input id="nc-phone" type="tel" formControlName="phone" autocomplete="off" />
      <label for="nc-household">{{ 'newClient.householdType' | translate }}</label>
      <select id="nc-household" formControlName="householdType">
        <option value="">{{ 'newClient.unknown' | translate }}</option>
        @for (h of households; track h) {
          <option [value]="h">{{ 'households.' + h | translate }}</option>
        }
      </select>
      <label for="nc-income">{{ 'newClient.incomeBand' | translate }}</label>
      <select id="nc-income" formControlName="incomeBand">
        <option value="">{{ 'newClient.unknown' | translate }}</option>
        @for (i of incomes; track i) {
          <option [value]="i">{{ 'incomes.' + i | translate }}</option>
        }
      </select>
      <label for="nc-birth">{{ 'newClient.birthYearBand' | translate }}</label>
      <select id="nc-birth" formControlName="birthYearBand">
        <option value="">{{ 'newClient.unknown' | translate }}</option>
        @for (b of bands; track b) {
          <option [value]="b">{{ b }}</option>
        }
      </select>
      <button type="submit" class="primary" [disabled]="busy()">{{ 'newClient.create' | translate }}</button>
    </form>
  `,
})
export class NewClientPage {
  private readonly api = inject(ClientsApi);
  private readonly router = inject(Router);
  private readonly auth = inject(AuthStore);
  protected readonly today = todayInAmsterdam();
  protected readonly households = HOUSEHOLD_TYPES;
  protected readonly incomes = INCOME_BANDS;
  protected readonly bands = BIRTH_YEAR_BANDS;
  protected readonly municipalities = computed(() => this.auth.me()?.organisation?.municipalities ?? []);
  private readonly translate = inject(TranslateService);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    clientRef: ['', Validators.required],
    municipality: [this.municipalities()[0]?.code ?? '', Validators.required],
    firstContact: [this.today, Validators.required],
    email: [''],
    phone: [''],
    householdType: [''],
    incomeBand: [''],
    birthYearBand: [''],
  });

  async create(): Promise<void> {
    const v = this.form.getRawValue();
    const body: CreateClientRequest = {
      clientRef: v.clientRef.trim(),
      municipality: v.municipality,
      firstContact: v.firstContact,
    };
    // Optional fields are sent only when filled in.
    for (const k of ['email', 'phone', 'householdType', 'incomeBand', 'birthYearBand'] as const) {
      if (v[k].trim()) (body as unknown as Record<string, string>)[k] = v[k].trim();
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      const created = await firstValueFrom(this.api.create(body));
      await this.router.navigate(['/clienten', created.id]);
    } catch (e) {
      const t = (k: string, p?: Record<string, unknown>) => this.translate.instant(k, p);
      this.error.set(
        apiError(e).statusCode === 409
          ? t('newClient.errors.clientRefInUse')
          : localErrorText(e, t, 'newClient.errors'),
      );
    } finally {
      this.busy.set(false);
    }
  }
}
