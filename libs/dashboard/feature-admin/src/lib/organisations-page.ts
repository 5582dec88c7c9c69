import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import type { OrganisationResponse } from '@klantmonitor/shared/domain';
import { apiErrorText, OrganisationsApi } from '@klantmonitor/dashboard/data-access';
import { BarChart } from '@klantmonitor/dashboard/ui-charts';

/** Platform admin: all organisations, and a form to add one with the municipalities it serves. */
import { TotpPolicyForm } from './totp-policy-form';
@Component({
  selector: 'km-organisations-page',
  imports: [ReactiveFormsModule, RouterLink, DatePipe, TranslatePipe, BarChart, TotpPolicyForm],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>{{ 'admin.organisations.title' | translate }}</h1>
    <p class="lead">{{ 'admin.organisations.intro' | translate }}</p>

    @if (organisations(); as orgs) {
      @if (orgs.length === 0) {
        <p>{{ 'admin.organisations.none' | translate }}</p>
      } @else {
        <div class="table-wrap">
          <table data-testid="organisations">
            <thead>
              <tr>
                <th scope="col">{{ 'admin.organisations.name' | translate }}</th>
                <th scope="col">{{ 'admin.organisations.municipalities' | translate }}</th>
                <th scope="col">{{ 'admin.organisations.created' | translate }}</th>
                <th scope="col"><span class="visually-hidden">{{ 'admin.organisations.users' | translate }}</span></th>
              </tr>
            </thead>
            <tbody>
              @for (org of orgs; track org.id) {
                <tr>
                  <th scope="row">{{ org.name }}</th>
                  <td>{{ municipalityNames(org) }}</td>
                  <td>{{ org.createdAt | date: 'd-M-yyyy' }}</td>
                  <td><a [routerLink]="[org.id, 'gebruikers']">{{ 'admin.organisations.users' | translate }}</a></td>
                </tr>
              }
            </tbody>
          </table>
        </div>
        <km-bar-chart [title]="'admin.organisations.chart' | translate" [values]="chartValues()" />
      }
    } @else {
      <p role="status">{{ 'app.loading' | translate }}</p>
    }

    <section class="card">
      <h2>{{ 'admin.organisations.newTitle' | translate }}</h2>
      @if (message()) {
        <p [class]="messageKind()" [attr.role]="messageKind() === 'error' ? 'alert' : 'status'">{{ message() }}</p>
      }
      <form [formGroup]="form" (ngSubmit)="create()" novalidate>
        <label for="org-name">{{ 'admin.organisations.name' | translate }}</label>
        <input id="org-name" formControlName="name" maxlength="200" required />
        <fieldset>
          <legend>{{ 'admin.organisations.municipalities' | translate }}</legend>
          <label for="municipality-search">{{ 'admin.organisations.search' | translate }}</label>
          <input id="municipality-search" type="search" [value]="search()" (input)="search.set($any($event.target).value)" />
          <p class="muted" aria-live="polite">{{ 'admin.organisations.chosen' | translate: { count: chosen().size } }}</p>
          <ul class="checklist">
            @for (m of visibleMunicipalities(); track m.code) {
              <li>
                <label>
                  <input type="checkbox" [checked]="chosen().has(m.code)" (change)="toggle(m.code)" />
                  {{ m.name }} <span class="muted">({{ m.code }})</span>
                </label>
              </li>
            }
          </ul>
        </fieldset>
        <button type="submit" class="primary" [disabled]="busy()">{{ 'admin.organisations.create' | translate }}</button>
      </form>
    </section>

    <km-totp-policy-form />
  `,
})
export class OrganisationsPage {
  private readonly api = inject(OrganisationsApi);
  private readonly translate = inject(TranslateService);
  protected readonly organisations = signal<OrganisationResponse[] | null>(null);
  protected readonly municipalities = toSignal(this.api.municipalities(), { initialValue: [] });
  protected readonly search = signal('');
  protected readonly chosen = signal(new Set<string>());
  protected readonly busy = signal(false);
  protected readonly message = signal<string | null>(null);
  protected readonly messageKind = signal<'notice' | 'error'>('notice');
  protected readonly form = inject(FormBuilder).nonNullable.group({ name: ['', [Validators.required, Validators.minLength(2)]] });

  protected readonly visibleMunicipalities = computed(() => {
    const q = this.search().trim().toLowerCase();
    const all = this.municipalities();
    // The chosen ones stay visible, so a search never hides what will be saved.
    return q ? all.filter((m) => this.chosen().has(m.code) || m.name.toLowerCase().includes(q) || m.code.toLowerCase().includes(q)) : all;
  });
  protected readonly chartValues = computed(() =>
    (this.organisations() ?? []).map((o) => ({ label: o.name, value: o.municipalities.length })),
  );

  constructor() {
    void this.reload();
  }

  protected municipalityNames(org: OrganisationResponse): string {
    return org.municipalities.map((m) => m.name).join(', ');
  }

  protected toggle(code: string): void {
    const next = new Set(this.chosen());
    if (next.has(code)) next.delete(code);
    else next.add(code);
    this.chosen.set(next);
  }

  async create(): Promise<void> {
    const name = this.form.getRawValue().name.trim();
    this.busy.set(true);
    try {
      const org = await firstValueFrom(this.api.create({ name, municipalities: [...this.chosen()] }));
      this.messageKind.set('notice');
      this.message.set(this.translate.instant('admin.organisations.created_ok', { name: org.name }));
      this.form.reset();
      this.search.set('');
      this.chosen.set(new Set());
      await this.reload();
    } catch (e) {
      this.messageKind.set('error');
      this.message.set(apiErrorText(e));
    } finally {
      this.busy.set(false);
    }
  }

  private async reload(): Promise<void> {
    this.organisations.set(await firstValueFrom(this.api.list()));
  }
}
