import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import type { OrganisationResponse } from '@klantmonitor/shared/domain';
import { apiError, localErrorText, OrganisationsApi } from '@klantmonitor/dashboard/data-access';
import { BarChart } from '@klantmonitor/dashboard/ui-charts';

import { TotpPolicyForm } from './totp-policy-form';

/**
 * Platform admin: all organisations; one form to add one or change one (name, municipalities
 * served); deactivating and activating again after a confirmation that says what it does.
 */
@Component({
  selector: 'km-organisations-page',
  imports: [ReactiveFormsModule, RouterLink, DatePipe, TranslatePipe, BarChart, TotpPolicyForm],
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
                  <td>{{ org.createdAt | date: 'd-M-yyyy' }}</td>
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
      <form [formGroup]="form" (ngSubmit)="save()" novalidate aria-labelledby="organisation-form-title">
        <label for="org-name">{{ 'admin.organisations.name' | translate }}</label>
        <input id="org-name" formControlName="name" maxlength="200" required />
        <fieldset>
          <legend>{{ 'admin.organisations.municipalities' | translate }}</legend>
          <label for="municipality-search">{{ 'admin.organisations.search' | translate }}</label>
          <input
            id="municipality-search"
            type="search"
            [value]="search()"
            (input)="search.set($any($event.target).value)"
          />
          <p class="muted" aria-live="polite">
            {{
              (chosen().size === 1 ? 'admin.organisations.chosenOne' : 'admin.organisations.chosen')
                | translate: { count: chosen().size }
            }}
          </p>
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
  protected readonly organisations = signal<OrganisationResponse[] | null>(null);
  protected readonly municipalities = toSignal(this.api.municipalities(), { initialValue: [] });
  protected readonly search = signal('');
  protected readonly chosen = signal(new Set<string>());
  protected readonly busy = signal(false);
  protected readonly message = signal<string | null>(null);
  protected readonly messageKind = signal<'notice' | 'error'>('notice');
  /** A message about a row of the table (deactivated, activated), shown above the table. */
  protected readonly listMessage = signal<{ kind: 'notice' | 'error'; text: string } | null>(null);
  /** The organisation the form changes; null: the form adds a new one. */
  protected readonly editing = signal<OrganisationResponse | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    name: ['', [Validators.required, Validators.minLength(2)]],
  });

  protected readonly visibleMunicipalities = computed(() => {
    const q = this.search().trim().toLowerCase();
    const all = this.municipalities();
    // The chosen ones stay visible, so a search never hides what will be saved.
    return q
      ? all.filter(
          (m) => this.chosen().has(m.code) || m.name.toLowerCase().includes(q) || m.code.toLowerCase().includes(q),
        )
      : all;
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

  protected edit(org: OrganisationResponse): void {
    this.editing.set(org);
    this.form.setValue({ name: org.name });
    this.chosen.set(new Set(org.municipalities.map((m) => m.code)));
    this.search.set('');
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
    this.chosen.set(new Set());
    this.search.set('');
    this.message.set(null);
  }

  async save(): Promise<void> {
    const name = this.form.getRawValue().name.trim();
    const municipalities = [...this.chosen()];
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
        this.search.set('');
        this.chosen.set(new Set());
        this.show('notice', this.translate.instant('admin.organisations.created_ok', { name: org.name }));
      }
      await this.reload();
    } catch (e) {
      this.show('error', this.errorText(e));
    } finally {
      this.busy.set(false);
    }
  }

  /** Deactivates or activates again, after a confirmation that says what that does. */
  async setActive(org: OrganisationResponse, active: boolean): Promise<void> {
    const confirmKey = active ? 'admin.organisations.activateConfirm' : 'admin.organisations.deactivateConfirm';
    if (!window.confirm(this.translate.instant(confirmKey, { name: org.name }))) return;
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
