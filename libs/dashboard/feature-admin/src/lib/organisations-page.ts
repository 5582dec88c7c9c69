import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import { TEXT_LIMITS, type OrganisationResponse } from '@klantmonitor/shared/domain';
import { apiError, localErrorText, OrganisationsApi } from '@klantmonitor/dashboard/data-access';
import { BarChart } from '@klantmonitor/dashboard/ui-charts';

import { TotpPolicyForm } from './totp-policy-form';
import {
  ConfirmService,
  formErrors,
  KmControl,
  KmField,
  KmFormFeedback,
  KmMunicipalityPicker,
} from '@klantmonitor/dashboard/ui-forms';
import { KmDatePipe } from '@klantmonitor/dashboard/util-i18n';

/**
 * Platform admin: all organisations; one form to add one or change one (name, municipalities
 * served); deactivating and activating again after a confirmation that says what it does.
 */
@Component({
  selector: 'km-organisations-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    KmDatePipe,
    TranslatePipe,
    BarChart,
    TotpPolicyForm,
    KmField,
    KmControl,
    KmFormFeedback,
    KmMunicipalityPicker,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .row-actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      align-items: center;
    }
    .row-actions > * {
      white-space: nowrap;
    }
    .actions {
      display: flex;
      gap: 0.75rem;
      align-items: center;
    }
    .actions button {
      margin-top: 1rem;
    }
  `,
  template: `
    <h1>{{ 'admin.organisations.title' | translate }}</h1>
    <p class="lead">{{ 'admin.organisations.intro' | translate }}</p>

    @if (organisations(); as orgs) {
      @if (orgs.length === 0) {
        <p>{{ 'admin.organisations.none' | translate }}</p>
      } @else {
        @if (listMessage(); as m) {
          <p
            [class]="m.kind"
            [attr.role]="m.kind === 'error' ? 'alert' : 'status'"
            tabindex="-1"
            data-testid="organisations-message"
          >
            {{ m.text }}
          </p>
        }
        <div class="table-wrap">
          <table data-testid="organisations">
            <thead>
              <tr>
                <th scope="col">{{ 'admin.organisations.name' | translate }}</th>
                <th scope="col">{{ 'admin.organisations.municipalities' | translate }}</th>
                <th scope="col">{{ 'admin.organisations.created' | translate }}</th>
                <th scope="col">{{ 'admin.organisations.status' | translate }}</th>
                <th scope="col">
                  <span class="visually-hidden">{{ 'admin.organisations.users' | translate }}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              @for (org of orgs; track org.id) {
                <tr>
                  <th scope="row">{{ org.name }}</th>
                  <td>{{ municipalityNames(org) }}</td>
                  <td>{{ org.createdAt | kmDate }}</td>
                  <td>
                    {{ (org.active ? 'admin.organisations.active' : 'admin.organisations.inactive') | translate }}
                  </td>
                  <td>
                    <div class="row-actions">
                      <a [routerLink]="[org.id, 'gebruikers']">{{ 'admin.organisations.users' | translate }}</a>
                      <button
                        type="button"
                        (click)="edit(org)"
                        [attr.aria-label]="'admin.organisations.editTitle' | translate: { name: org.name }"
                      >
                        {{ 'admin.organisations.edit' | translate }}
                      </button>
                      <button type="button" (click)="setActive(org, !org.active)" [disabled]="busy()">
                        {{
                          (org.active ? 'admin.organisations.deactivate' : 'admin.organisations.activate') | translate
                        }}
                      </button>
                    </div>
                  </td>
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

    <section class="card" data-testid="organisation-form">
      <h2 id="organisation-form-title">
        @if (editing(); as org) {
          {{ 'admin.organisations.editTitle' | translate: { name: org.name } }}
        } @else {
          {{ 'admin.organisations.newTitle' | translate }}
        }
      </h2>
      @if (message()) {
        <p
          [class]="messageKind()"
          [attr.role]="messageKind() === 'error' ? 'alert' : 'status'"
          tabindex="-1"
          data-testid="organisation-form-message"
        >
          {{ message() }}
        </p>
      }
      <form #formEl [formGroup]="form" (ngSubmit)="save(formEl)" novalidate aria-labelledby="organisation-form-title">
        <km-form-feedback [errors]="errs" />
        <km-field [errors]="errs" name="name" [max]="limits.organisationName">
          <input kmControl formControlName="name" required />
        </km-field>
        <km-municipality-picker
          [options]="municipalities()"
          [(chosen)]="chosen"
          [label]="'admin.organisations.municipalities' | translate"
          [error]="errs.of('municipalities')"
        />
        <div class="actions">
          <button type="submit" class="primary" [disabled]="busy()">
            {{ (editing() ? 'admin.organisations.save' : 'admin.organisations.create') | translate }}
          </button>
          @if (editing()) {
            <button type="button" (click)="stopEditing()">{{ 'admin.organisations.cancel' | translate }}</button>
          }
        </div>
      </form>
    </section>

    <km-totp-policy-form />
  `,
})
export class OrganisationsPage {
  private readonly api = inject(OrganisationsApi);
  private readonly translate = inject(TranslateService);
  private readonly confirm = inject(ConfirmService);
  protected readonly organisations = signal<OrganisationResponse[] | null>(null);
  protected readonly municipalities = toSignal(this.api.municipalities(), { initialValue: [] });
  protected readonly chosen = signal<string[]>([]);
  protected readonly limits = TEXT_LIMITS;
  protected readonly errs = formErrors('admin.organisations.errors', {
    name: { label: 'admin.organisations.name', id: 'org-name' },
    municipalities: { label: 'admin.organisations.municipalities', id: 'municipality-search' },
  });
  protected readonly busy = signal(false);
  protected readonly message = signal<string | null>(null);
  protected readonly messageKind = signal<'notice' | 'error'>('notice');
  /** A message about a row of the table (deactivated, activated), shown above the table. */
  protected readonly listMessage = signal<{ kind: 'notice' | 'error'; text: string } | null>(null);
  /** The organisation the form changes; null: the form adds a new one. */
  protected readonly editing = signal<OrganisationResponse | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    name: ['', [Validators.required, Validators.minLength(2), Validators.maxLength(TEXT_LIMITS.organisationName)]],
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

  protected edit(org: OrganisationResponse): void {
    this.editing.set(org);
    this.form.setValue({ name: org.name });
    this.chosen.set(org.municipalities.map((m) => m.code));
    this.errs.clear();
    this.message.set(null);
    setTimeout(() => {
      const input = document.getElementById('org-name') as HTMLInputElement | null;
      input?.scrollIntoView({ block: 'center' });
      input?.focus();
    });
  }

  protected stopEditing(): void {
    this.editing.set(null);
    this.form.reset();
    this.chosen.set([]);
    this.errs.clear();
    this.message.set(null);
  }

  async save(formEl: HTMLElement): Promise<void> {
    this.message.set(null);
    if (!this.errs.check(this.form, formEl)) return;
    const name = this.form.getRawValue().name.trim();
    const municipalities = [...this.chosen()];
    if (municipalities.length === 0)
      return this.errs.fieldError(
        'municipalities',
        this.translate.instant('admin.organisations.errors.municipalities'),
        formEl,
      );
    const editing = this.editing();
    this.busy.set(true);
    try {
      if (editing) {
        const org = await firstValueFrom(this.api.update(editing.id, { name, municipalities }));
        this.stopEditing();
        this.show('notice', this.translate.instant('admin.organisations.saved', { name: org.name }));
      } else {
        const org = await firstValueFrom(this.api.create({ name, municipalities }));
        this.form.reset();
        this.chosen.set([]);
        this.show('notice', this.translate.instant('admin.organisations.created_ok', { name: org.name }));
      }
      await this.reload();
    } catch (e) {
      // A refusal about a field stands under it; anything else on top of the form.
      const err = apiError(e);
      const field = err.code === 'name_in_use' ? 'name' : err.code === 'municipality_in_use' ? 'municipalities' : null;
      if (field) this.errs.fieldError(field, this.errorText(e), formEl);
      else this.errs.fromApi(err, this.errorText(e), formEl);
    } finally {
      this.busy.set(false);
    }
  }

  /** Deactivates or activates again, after a confirmation that says what that does. */
  async setActive(org: OrganisationResponse, active: boolean): Promise<void> {
    const confirmKey = active ? 'admin.organisations.activateConfirm' : 'admin.organisations.deactivateConfirm';
    const ok = await this.confirm.action(
      active ? 'orgActivate' : 'orgDeactivate',
      this.translate.instant(confirmKey, { name: org.name }),
      {
        danger: !active,
      },
    );
    if (!ok) return;
    this.busy.set(true);
    try {
      const saved = await firstValueFrom(this.api.update(org.id, { active }));
      const doneKey = active ? 'admin.organisations.activatedOk' : 'admin.organisations.deactivatedOk';
      this.listMessage.set({ kind: 'notice', text: this.translate.instant(doneKey, { name: saved.name }) });
      await this.reload();
    } catch (e) {
      this.listMessage.set({ kind: 'error', text: this.errorText(e) });
    } finally {
      this.busy.set(false);
      setTimeout(() =>
        (document.querySelector('[data-testid="organisations-message"]') as HTMLElement | null)?.focus(),
      );
    }
  }

  /** A message next to the form, with focus (a screen reader reads it, the eye finds it). */
  private show(kind: 'notice' | 'error', text: string): void {
    this.messageKind.set(kind);
    this.message.set(text);
    setTimeout(() =>
      (document.querySelector('[data-testid="organisation-form-message"]') as HTMLElement | null)?.focus(),
    );
  }

  private errorText(e: unknown): string {
    const err = apiError(e);
    if (err.code === 'municipality_in_use') {
      const byCode = new Map(this.municipalities().map((m) => [m.code, m.name]));
      const names = (err.details ?? [])
        .map((d) => byCode.get((d as { code?: string }).code ?? '') ?? (d as { code?: string }).code)
        .join(', ');
      return this.translate.instant('admin.organisations.errors.municipality_in_use', { names });
    }
    return localErrorText(e, (k, p) => this.translate.instant(k, p), 'admin.organisations.errors');
  }

  private async reload(): Promise<void> {
    this.organisations.set(await firstValueFrom(this.api.list()));
  }
}
