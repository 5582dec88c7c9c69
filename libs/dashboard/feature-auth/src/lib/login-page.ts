import { ChangeDetectionStrategy, Component, DestroyRef, inject, OnInit, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { debounceTime, distinctUntilChanged } from 'rxjs';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { apiError, AuthStore } from '@klantmonitor/dashboard/data-access';
import { LanguageService } from '@klantmonitor/dashboard/util-i18n';

/** The reasons the API gives for a refused single sign-on (each has its own sentence). */
const SSO_REFUSALS = new Set([
  'state_unknown',
  'state_used',
  'state_expired',
  'other_browser',
  'provider_error',
  'token_rejected',
  'email_unverified',
  'domain',
  'subject',
  'unknown_account',
  'inactive_account',
  'other_organisation',
]);

/**
 * The sign-in page for staff. Errors are announced to screen readers (role="alert"). An address of an
 * organisation with single sign-on signs in with its own identity provider: the password field gives
 * way to one button (the API redirects to the provider); the round trip ends here with a one-time
 * code (?sso=) that becomes the session, or with the reason it was refused (?sso_error=). An account
 * with a second factor then types its code here, as after a password (the code waits 5 minutes).
 */
@Component({
  selector: 'km-login-page',
  imports: [ReactiveFormsModule, TranslatePipe, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main id="inhoud" class="login">
      <div class="login-card">
        <div class="login-lang">
          <button type="button" class="link" (click)="toggleLanguage()" [attr.lang]="otherLanguage()">
            {{ 'lang.' + otherLanguage() | translate }}
          </button>
        </div>
        <p class="brand" aria-hidden="true">Klantmonitor</p>
        <h1>{{ 'login.title' | translate }}</h1>
        @if (!ssoCode()) {
          <p>{{ (sso() ? 'login.introSso' : 'login.intro') | translate }}</p>
        }
        @if (notice()) {
          <p class="notice" role="status">{{ notice()! | translate }}</p>
        }
        @if (error()) {
          <p class="error" role="alert" data-testid="login-error">{{ error()! | translate }}</p>
        }
        <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
          @if (!ssoCode()) {
            <label for="email">{{ 'login.email' | translate }}</label>
            <input id="email" type="email" formControlName="email" autocomplete="username" inputmode="email" required />
          }
          @if (ssoCode()) {
            <p class="notice" role="status" data-testid="login-sso-code">{{ 'login.ssoCodeNeeded' | translate }}</p>
          } @else if (sso()) {
            <p class="notice" role="status" data-testid="login-sso">{{ 'login.ssoIntro' | translate }}</p>
          } @else {
            <label for="password">{{ 'login.password' | translate }}</label>
            <input id="password" type="password" formControlName="password" autocomplete="current-password" required />
          }
          @if (needCode()) {
            <label for="totp">{{ 'login.code' | translate }}</label>
            <p class="muted" id="totp-hint">{{ 'login.codeHint' | translate }}</p>
            <input
              id="totp"
              formControlName="totp"
              autocomplete="one-time-code"
              maxlength="11"
              aria-describedby="totp-hint"
              required
            />
          }
          <button type="submit" class="primary" [disabled]="busy()">
            {{ (busy() ? 'login.busy' : sso() && !ssoCode() ? 'login.ssoSubmit' : 'login.submit') | translate }}
          </button>
        </form>
        @if (!ssoCode()) {
          <p>
            <a routerLink="/wachtwoord-vergeten">{{ 'login.forgot' | translate }}</a>
          </p>
        }
      </div>
    </main>
  `,
})
export class LoginPage implements OnInit {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly languages = inject(LanguageService);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly notice = signal<string | null>(
    (
      {
        verlopen: 'login.expired',
        wachtwoord: 'login.passwordChanged',
        welkom: 'login.chosen',
        hersteld: 'login.reset',
      } as Record<string, string>
    )[inject(ActivatedRoute).snapshot.queryParamMap.get('reden') ?? ''] ?? null,
  );
  protected readonly form = inject(FormBuilder).nonNullable.group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
    totp: [''],
  });
  /** The account has a second factor: the API asked for the code after a right password. */
  protected readonly needCode = signal(false);
  /** The address's organisation signs in with its own identity provider. */
  protected readonly sso = signal(false);
  /** A single sign-on that waits for the second factor: its one-time code (kept here, not in the address). */
  protected readonly ssoCode = signal<string | null>(null);
  private readonly route = inject(ActivatedRoute);
  private readonly destroyRef = inject(DestroyRef);

  ngOnInit(): void {
    const query = this.route.snapshot.queryParamMap;
    const code = query.get('sso');
    const refused = query.get('sso_error');
    if (code) void this.finishSso(code);
    else if (refused) this.error.set(SSO_REFUSALS.has(refused) ? `login.sso.${refused}` : 'login.sso.provider_error');
    // Ask, once the address is typed, whether it signs in with its organisation's provider.
    this.form.controls.email.valueChanges
      .pipe(debounceTime(300), distinctUntilChanged(), takeUntilDestroyed(this.destroyRef))
      .subscribe((email) => void this.checkSso(email.trim()));
  }

  private async checkSso(email: string): Promise<void> {
    if (this.form.controls.email.invalid) {
      this.sso.set(false);
      return;
    }
    // Unknown (offline, an error): the password form stays, as without single sign-on.
    const sso = (await this.auth.usesSso(email).catch(() => ({ sso: false }))).sso;
    if (this.form.controls.email.value.trim() !== email) return; // typed on meanwhile
    this.sso.set(sso);
    if (sso) this.form.controls.password.disable();
    else this.form.controls.password.enable();
  }

  private async finishSso(code: string, totp?: string): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      const done = await this.auth.exchangeSsoCode(code, totp);
      if (done === 'totp') {
        // The account's second factor: the same field as after a password; the code stays here.
        this.ssoCode.set(code);
        this.needCode.set(true);
        this.form.controls.email.disable();
        this.form.controls.password.disable();
        await this.router.navigate([], { queryParams: {}, replaceUrl: true });
        setTimeout(() => document.getElementById('totp')?.focus());
        return;
      }
      await this.router.navigateByUrl('/start', { replaceUrl: true });
    } catch (e) {
      const err = apiError(e);
      if (err.statusCode === 401 && err.details?.some((d) => d.field === 'totp')) {
        this.form.controls.totp.setValue('');
        this.error.set('login.codeWrong');
        setTimeout(() => document.getElementById('totp')?.focus());
        return;
      }
      this.ssoCode.set(null);
      this.needCode.set(false);
      this.form.controls.email.enable();
      this.error.set(
        err.statusCode === 0
          ? 'login.unreachable'
          : err.statusCode === 429
            ? 'login.tooMany'
            : err.code === 'other_browser' || err.code === 'subject' || err.code === 'inactive_account'
              ? `login.sso.${err.code}`
              : 'login.sso.code',
      );
      // The code is spent or useless: leave it out of the address.
      await this.router.navigate([], { queryParams: {}, replaceUrl: true });
    } finally {
      this.busy.set(false);
    }
  }

  protected otherLanguage(): 'nl' | 'en' {
    return this.languages.current() === 'nl' ? 'en' : 'nl';
  }

  protected toggleLanguage(): void {
    void this.languages.use(this.otherLanguage());
  }

  async submit(): Promise<void> {
    this.notice.set(null);
    const ssoCode = this.ssoCode();
    if (ssoCode) {
      const totp = this.form.controls.totp.value.trim();
      if (!totp) {
        this.error.set('login.codeNeeded');
        return;
      }
      await this.finishSso(ssoCode, totp);
      return;
    }
    if (this.form.invalid) {
      this.error.set('login.required');
      return;
    }
    if (this.sso()) {
      // To the organisation's provider (a full page change: it comes back to /inloggen).
      this.busy.set(true);
      window.location.assign(
        `/api/v1/auth/oidc/start?email=${encodeURIComponent(this.form.controls.email.value.trim())}`,
      );
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      const { email, password, totp } = this.form.getRawValue();
      const code = this.needCode() ? totp.trim() : undefined;
      await this.auth.login(email.trim(), password, code || undefined);
      await this.router.navigateByUrl('/start');
    } catch (e) {
      const err = apiError(e);
      const status = err.statusCode;
      if (status === 401 && err.details?.some((d) => d.field === 'totp')) {
        // Password right; the code is missing or wrong. Ask for it (again).
        const asked = this.needCode();
        this.needCode.set(true);
        this.form.controls.totp.setValue('');
        if (asked) this.error.set('login.codeWrong');
        else this.notice.set('login.codeNeeded');
        // The field appears with the next render: put the cursor in it.
        setTimeout(() => document.getElementById('totp')?.focus());
        return;
      }
      if (err.code === 'sso_only') {
        // Passwords are off for this address: the button to the organisation's sign-in instead.
        this.sso.set(true);
        this.form.controls.password.disable();
        this.error.set('login.ssoOnly');
        return;
      }
      this.error.set(
        status === 401
          ? 'login.wrong'
          : status === 429
            ? 'login.tooMany'
            : status === 0 || status >= 500
              ? 'login.unreachable'
              : 'login.wrong',
      );
    } finally {
      this.busy.set(false);
    }
  }
}
