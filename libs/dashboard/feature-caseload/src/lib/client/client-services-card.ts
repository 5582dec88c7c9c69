import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { TranslatePipe } from '@ngx-translate/core';
import { formatDate, SERVICE_KINDS, todayInAmsterdam, type ServiceKind } from '@klantmonitor/shared/domain';
import { ClientsApi } from '@klantmonitor/dashboard/data-access';
import { ConfirmService } from '@klantmonitor/dashboard/ui-forms';
import { KmDatePipe } from '@klantmonitor/dashboard/util-i18n';
import { KmCardFeedback } from './card-feedback';
import { ClientRecordStore, type CardFeedback } from './client-record.store';

/** Services beside the trajectory (budget management, protection, ...): started and ended on a date. */
@Component({
  selector: 'km-client-services-card',
  imports: [ReactiveFormsModule, TranslatePipe, KmDatePipe, KmCardFeedback],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (store.client(); as c) {
      <section class="card" aria-labelledby="services-title">
        <h2 id="services-title">{{ 'client.services' | translate }}</h2>
        @if (c.services.length) {
          <ul class="services" data-testid="services">
            @for (sv of c.services; track sv.id) {
              <li>
                <span>{{ 'services.' + sv.kind | translate }}</span>
                <span class="muted">
                  {{ sv.startedOn | kmDate }} –
                  @if (sv.endedOn) {
                    {{ sv.endedOn | kmDate }}
                  } @else {
                    {{ 'client.running' | translate }}
                  }
                </span>
                @if (!sv.endedOn && c.trajectory.status === 'open') {
                  <span class="button-row">
                    <label class="visually-hidden" [for]="'end-' + sv.id">{{
                      'client.endDateOf' | translate: { service: ('services.' + sv.kind | translate) }
                    }}</label>
                    <input
                      [id]="'end-' + sv.id"
                      type="date"
                      [min]="sv.startedOn"
                      [max]="today"
                      [value]="endDates()[sv.id] ?? today"
                      (input)="setEndDate(sv.id, $any($event.target).value)"
                    />
                    <button type="button" class="link" (click)="end(sv.id, sv.kind)">
                      {{ 'client.endService' | translate }}
                    </button>
                  </span>
                }
              </li>
            }
          </ul>
        } @else {
          <p class="muted">{{ 'client.noServices' | translate }}</p>
        }
        @if (c.trajectory.status === 'open' && c.trajectory.firstContact) {
          <form [formGroup]="form" (ngSubmit)="start()">
            <label for="service-kind">{{ 'client.startService' | translate }}</label>
            <select id="service-kind" formControlName="kind">
              @for (k of kinds; track k) {
                <option [value]="k">{{ 'services.' + k | translate }}</option>
              }
            </select>
            <label for="service-start">{{ 'client.startedOn' | translate }}</label>
            <input
              id="service-start"
              type="date"
              formControlName="startedOn"
              [max]="today"
              [min]="c.trajectory.firstContact"
              required
            />
            <button type="submit" class="primary" [disabled]="store.busy()">{{ 'client.save' | translate }}</button>
          </form>
        }
        <km-card-feedback [feedback]="feedback()" />
      </section>
    }
  `,
})
export class ClientServicesCard {
  protected readonly store = inject(ClientRecordStore);
  private readonly api = inject(ClientsApi);
  private readonly confirm = inject(ConfirmService);
  protected readonly today = todayInAmsterdam();
  protected readonly kinds = SERVICE_KINDS;
  protected readonly feedback = signal<CardFeedback | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    kind: ['budget_management' as ServiceKind, Validators.required],
    startedOn: [this.today, Validators.required],
  });
  /** The end date chosen per running service (today until changed). */
  protected readonly endDates = signal<Record<string, string>>({});

  protected setEndDate(serviceId: string, date: string): void {
    this.endDates.update((d) => ({ ...d, [serviceId]: date }));
  }

  protected async start(): Promise<void> {
    const v = this.form.getRawValue();
    this.feedback.set(
      await this.store.act(this.api.startService(this.store.trajectoryId(), { kind: v.kind, startedOn: v.startedOn })),
    );
  }

  /** Ends a service on the chosen date, after a question (it cannot be undone here). */
  protected async end(serviceId: string, kind: string): Promise<void> {
    const date = this.endDates()[serviceId] ?? this.today;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
      return this.feedback.set({ kind: 'error', text: this.store.t('client.errors.endedOn') });
    const ask = this.store.t('client.endServiceAsk', {
      service: this.store.t(`services.${kind}`),
      date: formatDate(date),
    });
    if (!(await this.confirm.action('endService', ask))) return;
    this.feedback.set(await this.store.act(this.api.endService(this.store.trajectoryId(), serviceId, date)));
  }
}
