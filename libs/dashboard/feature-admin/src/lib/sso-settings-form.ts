import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import type { SsoSettings } from '@klantmonitor/shared/domain';
import { apiError, AuthStore, OrganisationsApi, statusErrorKey } from '@klantmonitor/dashboard/data-access';
import { ConfirmService } from '@klantmonitor/dashboard/ui-forms';
import { KmDatePipe } from '@klantmonitor/dashboard/util-i18n';

/** Fields of the form whose refusals have a sentence of their own (by the answer's details). */
const FIELDS = ['issuer', 'clientId', 'clientSecret', 'emailDomains'] as const;
type Field = (typeof FIELDS)[number];

/**
 * An organisation's single sign-on (docs/security.md "Sign-in identity"): its own admin sets the
 * OpenID provider, the client, the secret (never shown again), the e-mail domains, whether the
 * provider's multi-factor counts and whether passwords are off. A platform admin sees the settings
 * and can only switch single sign-on off. Refusals appear at the field they are about.
 */
@Component({
  selector: 'km-sso-settings-form',
  imports: [ReactiveFormsModule, TranslatePipe, KmDatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card" aria-labelledby="sso-title" data-testid="sso-settings">
      <h2 id="sso-title">{{ 'admin.sso.title' | translate }}</h2>
      <p>{{ 'admin.sso.intro' | translate }}</p>
      @if (settings(); as s) {
        <p class="muted" data-testid="sso-status">
          {{ 'admin.sso.on' | translate: { domains: s.emailDomains.join(', ') } }}
          {{ 'admin.sso.updated' | translate: { date: (s.updatedAt | kmDate: 'dateTime') } }}
        </p>
      } @else if (loaded()) {
        <p class="muted" data-testid="sso-status">{{ 'admin.sso.off' | translate }}</p>
      }
      @if (canEdit()) {
        <form [formGroup]="form" (ngSubmit)="save()" novalidate>
          <label for="sso-issuer">{{ 'admin.sso.issuer' | translate }}</label>
          <p class="muted" id="sso-issuer-hint">{{ 'admin.sso.issuerHint' | translate }}</p>
          <input
            id="sso-issuer"
            type="url"
            formControlName="issuer"
            autocomplete="off"
            aria-describedby="sso-issuer-hint sso-issuer-error"
            [attr.aria-invalid]="fieldError('issuer') ? 'true' : null"
          />
          @if (fieldError('issuer'); as e) {
            <p class="error field-error" id="sso-issuer-error">{{ e | translate }}</p>
          }
          <label for="sso-client">{{ 'admin.sso.clientId' | translate }}</label>
          <input
            id="sso-client"
            formControlName="clientId"
            autocomplete="off"
            [attr.aria-invalid]="fieldError('clientId') ? 'true' : null"
            aria-describedby="sso-client-error"
          />
          @if (fieldError('clientId'); as e) {
            <p class="error field-error" id="sso-client-error">{{ e | translate }}</p>
          }
          <label for="sso-secret">{{ 'admin.sso.clientSecret' | translate }}</label>
          <p class="muted" id="sso-secret-hint">
            {{ (settings() ? 'admin.sso.secretKept' : 'admin.sso.secretHint') | translate }}
          </p>
          <input
            id="sso-secret"
            type="password"
            formControlName="clientSecret"
            autocomplete="new-password"
            aria-describedby="sso-secret-hint sso-secret-error"
            [attr.aria-invalid]="fieldError('clientSecret') ? 'true' : null"
          />
          @if (fieldError('clientSecret'); as e) {
            <p class="error field-error" id="sso-secret-error">{{ e | translate }}</p>
          }
          <label for="sso-domains">{{ 'admin.sso.domains' | translate }}</label>
          <p class="muted" id="sso-domains-hint">{{ 'admin.sso.domainsHint' | translate }}</p>
          <input
            id="sso-domains"
            formControlName="emailDomains"
            autocomplete="off"
            aria-describedby="sso-domains-hint sso-domains-error"
            [attr.aria-invalid]="fieldError('emailDomains') ? 'true' : null"
          />
          @if (fieldError('emailDomains'); as e) {
            <p class="error field-error" id="sso-domains-error">{{ e | translate: errorParams() }}</p>
          }
          <label class="checkbox">
            <input type="checkbox" formControlName="trustProviderMfa" />
            {{ 'admin.sso.trustMfa' | translate }}
          </label>
          <p class="muted">{{ 'admin.sso.trustMfaHint' | translate }}</p>
          <label class="checkbox">
            <input type="checkbox" formControlName="ssoOnly" />
            {{ 'admin.sso.ssoOnly' | translate }}
          </label>
          <p class="muted">{{ 'admin.sso.ssoOnlyHint' | translate }}</p>
          <button type="submit" class="primary" [disabled]="busy()">{{ 'admin.sso.save' | translate }}</button>
          @if (settings()) {
            <button type="button" class="secondary" (click)="remove()" [disabled]="busy()">
              {{ 'admin.sso.remove' | translate }}
            </button>
          }
        </form>
      } @else if (settings()) {
        <p>{{ 'admin.sso.platformOnly' | translate }}</p>
        <button type="button" class="secondary" (click)="remove()" [disabled]="busy()">
          {{ 'admin.sso.remove' | translate }}
        </button>
      }
      @if (message()) {
        <p
          [class]="failed() ? 'error' : 'notice'"
          [attr.role]="failed() ? 'alert' : 'status'"
          data-testid="sso-message"
        >
          {{ message()! | translate: errorParams() }}
        </p>
      }
    </section>
  `,
})
export class SsoSettingsForm {
  private readonly api = inject(OrganisationsApi);
  private readonly auth = inject(AuthStore);
  private readonly translate = inject(TranslateService);
  private readonly confirm = inject(ConfirmService);
  readonly organisationId = input.required<string>();
  protected readonly settings = signal<SsoSettings | null>(null);
  protected readonly loaded = signal(false);
  protected readonly busy = signal(false);
  protected readonly message = signal<string | null>(null);
  protected readonly failed = signal(false);
  protected readonly errors = signal<Partial<Record<Field, string>>>({});
  protected readonly errorParams = signal<Record<string, string>>({});
  /** Only the organisation's own admin sets it (the API refuses a platform admin too). */
  protected readonly canEdit = computed(() => this.auth.me()?.role === 'org_admin');
  protected readonly form = inject(FormBuilder).nonNullable.group({
    issuer: ['', Validators.required],
    clientId: ['', Validators.required],
    clientSecret: [''],
    emailDomains: ['', Validators.required],
    trustProviderMfa: [false],
    ssoOnly: [false],
  });

  constructor() {
    effect(() => void this.load(this.organisationId()));
  }

  protected fieldError(field: Field): string | null {
    return this.errors()[field] ?? null;
  }

  protected async save(): Promise<void> {
    const v = this.form.getRawValue();
    // What the admin typed, split as written: the API checks every domain and says which is wrong.
    const emailDomains = v.emailDomains
      .split(/[\s,;]+/)
      .map((d) => d.trim())
      .filter(Boolean);
    const missing: Partial<Record<Field, string>> = {};
    if (!v.issuer.trim()) missing.issuer = 'admin.sso.errors.issuer';
    if (!v.clientId.trim()) missing.clientId = 'admin.sso.errors.clientId';
    if (!this.settings() && !v.clientSecret) missing.clientSecret = 'admin.sso.errors.clientSecret';
    if (emailDomains.length === 0) missing.emailDomains = 'admin.sso.errors.emailDomains';
    this.errors.set(missing);
    if (Object.keys(missing).length) {
      this.failed.set(true);
      this.message.set('admin.sso.errors.check');
      this.focusFirstError();
      return;
    }
    this.busy.set(true);
    try {
      const saved = await firstValueFrom(
        this.api.setSso(this.organisationId(), {
          issuer: v.issuer.trim(),
          clientId: v.clientId.trim(),
          ...(v.clientSecret ? { clientSecret: v.clientSecret } : {}),
          emailDomains,
          trustProviderMfa: v.trustProviderMfa,
          ssoOnly: v.ssoOnly,
        }),
      );
      this.show(saved);
      this.failed.set(false);
      this.message.set('admin.sso.saved');
    } catch (e) {
      this.refused(e);
    } finally {
      this.busy.set(false);
    }
  }

  /** Asked first: everyone of the domains signs in with a password again (or cannot, if they have none). */
  protected async remove(): Promise<void> {
    if (!(await this.confirm.action('ssoRemove', this.translate.instant('admin.sso.removeConfirm'), { danger: true })))
      return;
    this.busy.set(true);
    try {
      await firstValueFrom(this.api.removeSso(this.organisationId()));
      this.settings.set(null);
      this.form.reset();
      this.failed.set(false);
      this.message.set('admin.sso.removed');
    } catch (e) {
      this.failed.set(true);
      this.message.set(statusErrorKey(e));
    } finally {
      this.busy.set(false);
    }
  }

  private refused(e: unknown): void {
    const err = apiError(e);
    this.failed.set(true);
    if (err.code === 'domain_in_use') {
      const domain = /^(\S+) is in use/.exec(err.details?.[0]?.message ?? '')?.[1] ?? '';
      this.errorParams.set({ domain });
      this.errors.set({ emailDomains: 'admin.sso.errors.domainInUse' });
      this.message.set('admin.sso.errors.check');
    } else if (err.code === 'sso_own_organisation') {
      this.message.set('admin.sso.errors.ownOrganisation');
    } else if (err.statusCode === 400 && err.details?.length) {
      const next: Partial<Record<Field, string>> = {};
      for (const d of err.details)
        if ((FIELDS as readonly string[]).includes(d.field))
          next[d.field as Field] = d.field === 'issuer' ? issuerKey(d.message) : `admin.sso.errors.${d.field}`;
      this.errors.set(next);
      this.message.set('admin.sso.errors.check');
    } else {
      this.message.set(statusErrorKey(e));
    }
    this.focusFirstError();
  }

  private focusFirstError(): void {
    const ids: Record<Field, string> = {
      issuer: 'sso-issuer',
      clientId: 'sso-client',
      clientSecret: 'sso-secret',
      emailDomains: 'sso-domains',
    };
    const first = FIELDS.find((f) => this.errors()[f]);
    if (first) setTimeout(() => document.getElementById(ids[first])?.focus());
  }

  private show(s: SsoSettings): void {
    this.settings.set(s);
    this.form.setValue({
      issuer: s.issuer,
      clientId: s.clientId,
      clientSecret: '',
      emailDomains: s.emailDomains.join(', '),
      trustProviderMfa: s.trustProviderMfa,
      ssoOnly: s.ssoOnly,
    });
  }

  private async load(id: string): Promise<void> {
    this.loaded.set(false);
    try {
      this.show(await firstValueFrom(this.api.sso(id)));
    } catch (e) {
      if (apiError(e).statusCode !== 404) {
        this.failed.set(true);
        this.message.set(statusErrorKey(e));
      }
      this.settings.set(null);
    } finally {
      this.loaded.set(true);
    }
  }
}

/** The API's reason about the issuer (English, for developers) as the page's own sentence. */
function issuerKey(message: string): string {
  if (/public address|public host/.test(message)) return 'admin.sso.errors.issuerPrivate';
  if (/does not resolve/.test(message)) return 'admin.sso.errors.issuerUnknown';
  return 'admin.sso.errors.issuer';
}
