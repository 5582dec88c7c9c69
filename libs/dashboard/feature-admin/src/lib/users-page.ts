import { ChangeDetectionStrategy, Component, computed, inject, input, signal, effect } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import {
  ORGANISATION_ROLES,
  TEXT_LIMITS,
  type OrganisationResponse,
  type OrganisationRole,
  type UserResponse,
} from '@klantmonitor/shared/domain';
import { apiError, statusErrorKey, AuthStore, OrganisationsApi } from '@klantmonitor/dashboard/data-access';
import { TotpPolicyForm } from './totp-policy-form';
import { SsoSettingsForm } from './sso-settings-form';
import { ConfirmService, formErrors, KmControl, KmField, KmFormFeedback } from '@klantmonitor/dashboard/ui-forms';
import { KmDatePipe } from '@klantmonitor/dashboard/util-i18n';

/** Organisation admin (or platform admin): the staff accounts of one organisation. */
@Component({
  selector: 'km-users-page',
  imports: [
    ReactiveFormsModule,
    KmDatePipe,
    TranslatePipe,
    TotpPolicyForm,
    SsoSettingsForm,
    KmField,
    KmControl,
    KmFormFeedback,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  // The role select must show the whole role name, also when long e-mail addresses take the room.
  styles: `
    td select {
      width: auto;
      min-width: 10.5rem;
    }
    tbody th {
      overflow-wrap: anywhere;
    }
  `,
  template: `
    <h1>{{ 'admin.users.title' | translate }}</h1>
    @if (organisation(); as org) {
      <p class="lead">{{ 'admin.users.intro' | translate: { organisation: org.name } }}</p>
    }
    @if (loadError()) {
      <p class="error" role="alert">{{ loadError() }}</p>
    }
    @if (users(); as users) {
      @if (users.length === 0) {
        <p>{{ 'admin.users.none' | translate }}</p>
      } @else {
        <div class="table-wrap">
          <table data-testid="users">
            <thead>
              <tr>
                <th scope="col">{{ 'admin.users.email' | translate }}</th>
                <th scope="col">{{ 'admin.users.name' | translate }}</th>
                <th scope="col">{{ 'admin.users.role' | translate }}</th>
                <th scope="col">{{ 'admin.users.lastLogin' | translate }}</th>
                <th scope="col">{{ 'admin.users.totp' | translate }}</th>
                <th scope="col">{{ 'admin.users.ssoLink' | translate }}</th>
                <th scope="col">{{ 'admin.users.status' | translate }}</th>
              </tr>
            </thead>
            <tbody>
              @for (u of users; track u.id) {
                <tr>
                  <th scope="row">{{ u.email }}</th>
                  <td>{{ u.name }}</td>
                  <td>
                    @if (u.id === meId()) {
                      {{ 'roles.' + u.role | translate }}
                    } @else {
                      <select
                        [attr.aria-label]="'admin.users.roleOf' | translate: { email: u.email }"
                        (change)="changeRole(u, $any($event.target))"
                        [disabled]="busy()"
                      >
                        @for (r of roles; track r) {
                          <option [value]="r" [selected]="r === u.role">{{ 'roles.' + r | translate }}</option>
                        }
                      </select>
                    }
                  </td>
                  <td>
                    @if (u.lastLoginAt) {
                      {{ u.lastLoginAt | kmDate: 'dateTime' }}
                    } @else {
                      {{ 'admin.users.never' | translate }}
                    }
                  </td>
                  <td>
                    @if (u.totpEnabled) {
                      {{ 'admin.users.totpOn' | translate }}
                      <!-- One's own extra code goes off on the account page, with password and code. -->
                      @if (u.id !== meId()) {
                        <button type="button" class="link" (click)="resetTotp(u)" [disabled]="busy()">
                          {{ 'admin.users.totpReset' | translate }}<span class="visually-hidden"> ({{ u.email }})</span>
                        </button>
                      }
                    } @else {
                      {{ 'admin.users.totpOff' | translate }}
                    }
                  </td>
                  <td [attr.data-testid]="'sso-' + u.email">
                    @if (u.ssoLinkedAt) {
                      {{ 'admin.users.ssoLinked' | translate: { date: (u.ssoLinkedAt | kmDate) } }}
                      <button type="button" class="link" (click)="unlinkSso(u)" [disabled]="busy()">
                        {{ 'admin.users.ssoUnlink' | translate }}<span class="visually-hidden"> ({{ u.email }})</span>
                      </button>
                    } @else {
                      {{ 'admin.users.ssoNotLinked' | translate }}
                    }
                  </td>
                  <td [attr.data-testid]="'status-' + u.email">
                    {{ (u.active ? 'admin.users.active' : 'admin.users.inactive') | translate }}
                    @if (u.id !== meId()) {
                      <button type="button" class="link" (click)="setActive(u, !u.active)" [disabled]="busy()">
                        {{ (u.active ? 'admin.users.deactivate' : 'admin.users.activate') | translate
                        }}<span class="visually-hidden"> ({{ u.email }})</span>
                      </button>
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
        @if (rowMessage()) {
          <p
            [class]="rowMessageKind()"
            [attr.role]="rowMessageKind() === 'error' ? 'alert' : 'status'"
            data-testid="users-message"
          >
            {{ rowMessage() }}
          </p>
        }
      }
    }

    <km-totp-policy-form [organisationId]="id()" />

    <km-sso-settings-form [organisationId]="id()" />

    <section class="card">
      <h2>{{ 'admin.users.newTitle' | translate }}</h2>
      @if (message()) {
        <p
          [class]="messageKind()"
          [attr.role]="messageKind() === 'error' ? 'alert' : 'status'"
          data-testid="user-message"
        >
          {{ message() }}
        </p>
      }
      <form #formEl [formGroup]="form" (ngSubmit)="create(formEl)" novalidate>
        <km-form-feedback [errors]="errs" />
        <km-field [errors]="errs" name="email" [max]="limits.email">
          <input kmControl type="email" formControlName="email" autocomplete="off" required />
        </km-field>
        <km-field [errors]="errs" name="name" [max]="limits.personName">
          <input kmControl formControlName="name" autocomplete="off" />
        </km-field>
        <km-field [errors]="errs" name="role">
          <select kmControl formControlName="role">
            @for (r of roles; track r) {
              <option [value]="r">{{ 'roles.' + r | translate }}</option>
            }
          </select>
        </km-field>
        <p class="muted">{{ 'admin.users.inviteHint' | translate }}</p>
        <button type="submit" class="primary" [disabled]="busy()">{{ 'admin.users.create' | translate }}</button>
      </form>
    </section>
  `,
})
export class UsersPage {
  /** Route parameter (withComponentInputBinding). */
  readonly id = input.required<string>();
  private readonly api = inject(OrganisationsApi);
  private readonly translate = inject(TranslateService);
  private readonly confirm = inject(ConfirmService);
  protected readonly roles = ORGANISATION_ROLES;
  protected readonly organisation = signal<OrganisationResponse | null>(null);
  protected readonly users = signal<UserResponse[] | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly message = signal<string | null>(null);
  protected readonly messageKind = signal<'notice' | 'error'>('notice');
  /** Messages of the actions in the table, shown right under it. */
  protected readonly rowMessage = signal<string | null>(null);
  protected readonly rowMessageKind = signal<'notice' | 'error'>('notice');
  protected readonly meId = computed(() => this.auth.me()?.id ?? null);
  private readonly auth = inject(AuthStore);
  protected readonly limits = TEXT_LIMITS;
  protected readonly errs = formErrors('admin.users.errors', {
    email: { label: 'admin.users.email', id: 'user-email', required: 'admin.users.errors.emailRequired' },
    name: { label: 'admin.users.name', id: 'user-name' },
    role: { label: 'admin.users.role', id: 'user-role' },
  });
  protected readonly form = inject(FormBuilder).nonNullable.group({
    email: ['', [Validators.required, Validators.maxLength(TEXT_LIMITS.email), Validators.email]],
    name: ['', Validators.maxLength(TEXT_LIMITS.personName)],
    role: ['counselor' as OrganisationRole, Validators.required],
  });

  constructor() {
    effect(() => void this.load(this.id()));
  }

  async create(formEl: HTMLElement): Promise<void> {
    this.message.set(null);
    if (!this.errs.check(this.form, formEl)) return;
    const v = this.form.getRawValue();
    this.busy.set(true);
    try {
      // No password: the colleague gets an invitation e-mail and chooses one (nobody else knows it).
      await firstValueFrom(
        this.api.createUser(this.id(), {
          email: v.email.trim(),
          role: v.role,
          ...(v.name.trim() ? { name: v.name.trim() } : {}),
        }),
      );
      this.messageKind.set('notice');
      this.message.set(this.translate.instant('admin.users.created_ok', { email: v.email.trim() }));
      this.form.reset();
      await this.load(this.id());
    } catch (e) {
      const t = (k: string, p?: Record<string, unknown>) => this.translate.instant(k, p);
      const err = apiError(e);
      if (err.code === 'email_unavailable') this.errs.fieldError('email', t('admin.users.emailUnavailable'), formEl);
      else this.errs.fromApi(err, t(err.statusCode === 429 ? 'admin.users.tooMany' : statusErrorKey(e)), formEl);
    } finally {
      this.busy.set(false);
    }
  }

  /** A new role: the colleague signs in again (their sessions end); asked first. */
  async changeRole(u: UserResponse, select: HTMLSelectElement): Promise<void> {
    const role = select.value as OrganisationRole;
    const ask = this.translate.instant('admin.users.roleConfirm', {
      email: u.email,
      role: this.translate.instant(`roles.${role}`),
    });
    if (role === u.role || !(await this.confirm.action('userRole', ask))) {
      select.value = u.role;
      return;
    }
    await this.update(u, { role }, 'admin.users.roleOk', {
      email: u.email,
      role: this.translate.instant(`roles.${role}`),
    });
  }

  /** Deactivating ends the colleague's sessions at once and refuses sign-in: asked first. */
  async setActive(u: UserResponse, active: boolean): Promise<void> {
    if (
      !active &&
      !(await this.confirm.action(
        'userDeactivate',
        this.translate.instant('admin.users.deactivateConfirm', { email: u.email }),
        {
          danger: true,
        },
      ))
    )
      return;
    await this.update(u, { active }, active ? 'admin.users.activatedOk' : 'admin.users.deactivatedOk', {
      email: u.email,
    });
  }

  private async update(
    u: UserResponse,
    change: { role?: OrganisationRole; active?: boolean },
    ok: string,
    params: Record<string, string>,
  ): Promise<void> {
    this.busy.set(true);
    try {
      await firstValueFrom(this.api.updateUser(this.id(), u.id, change));
      this.rowMessageKind.set('notice');
      this.rowMessage.set(this.translate.instant(ok, params));
      await this.load(this.id());
    } catch (e) {
      const err = apiError(e);
      this.rowMessageKind.set('error');
      this.rowMessage.set(this.translate.instant(err.statusCode === 404 ? 'admin.users.gone' : statusErrorKey(err)));
      await this.load(this.id());
    } finally {
      this.busy.set(false);
    }
  }

  /** A colleague lost the phone: the extra code goes off; they set it up again after signing in. */
  async resetTotp(u: UserResponse): Promise<void> {
    if (
      !(await this.confirm.action('totpReset', this.translate.instant('admin.users.totpConfirm', { email: u.email })))
    )
      return;
    this.busy.set(true);
    try {
      await firstValueFrom(this.api.resetTotp(this.id(), u.id));
      this.messageKind.set('notice');
      this.message.set(this.translate.instant('admin.users.totpResetOk', { email: u.email }));
      await this.load(this.id());
    } catch (e) {
      this.messageKind.set('error');
      this.message.set(this.translate.instant(statusErrorKey(e)));
    } finally {
      this.busy.set(false);
    }
  }

  /** The account's link to its provider user goes; the next SSO sign-in links it again (asked first). */
  async unlinkSso(u: UserResponse): Promise<void> {
    if (
      !(await this.confirm.action(
        'ssoUnlink',
        this.translate.instant('admin.users.ssoUnlinkConfirm', { email: u.email }),
      ))
    )
      return;
    this.busy.set(true);
    try {
      await firstValueFrom(this.api.unlinkSso(this.id(), u.id));
      this.rowMessageKind.set('notice');
      this.rowMessage.set(this.translate.instant('admin.users.ssoUnlinkedOk', { email: u.email }));
    } catch (e) {
      this.rowMessageKind.set('error');
      this.rowMessage.set(this.translate.instant(statusErrorKey(e)));
    } finally {
      await this.load(this.id());
      this.busy.set(false);
    }
  }

  private async load(id: string): Promise<void> {
    try {
      const [org, users] = await Promise.all([firstValueFrom(this.api.get(id)), firstValueFrom(this.api.users(id))]);
      this.organisation.set(org);
      this.users.set(users);
      this.loadError.set(null);
    } catch (e) {
      this.loadError.set(apiError(e).message);
    }
  }
}

/** Why a new user was refused, in the reader's language by the answer's code or status. */
