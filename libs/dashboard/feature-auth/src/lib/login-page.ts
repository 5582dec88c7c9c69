import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { apiError, AuthStore } from '@klantmonitor/dashboard/data-access';
import { LanguageService } from '@klantmonitor/dashboard/util-i18n';

/** The sign-in page for staff. Errors are announced to screen readers (role="alert"). */
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
        <p>{{ 'login.intro' | translate }}</p>
        @if (notice()) {
          <p class="notice" role="status">{{ notice()! | translate }}</p>
        }
        @if (error()) {
          <p class="error" role="alert" data-testid="login-error">{{ error()! | translate }}</p>
        }
        <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
          <label for="email">{{ 'login.email' | translate }}</label>
          <input id="email" type="email" formControlName="email" autocomplete="username" inputmode="email" required />
          <label for="password">{{ 'login.password' | translate }}</label>
          <input id="password" type="password" formControlName="password" autocomplete="current-password" required />
          @if (needCode()) {
            <label for="totp">{{ 'login.code' | translate }}</label>
            <p class="muted" id="totp-hint">{{ 'login.codeHint' | translate }}</p>
            <input
              id="totp"
              formControlName="totp"
              autocomplete="one-time-code"
              maxlength="9"
              aria-describedby="totp-hint"
              required
            />
          }
          <button type="submit" class="primary" [disabled]="busy()">
            {{ (busy() ? 'login.busy' : 'login.submit') | translate }}
          </button>
        </form>
        <p>
          <a routerLink="/wachtwoord-vergeten">{{ 'login.forgot' | translate }}</a>
        </p>
      </div>
    </main>
  `,
})
export class LoginPage {
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

  protected otherLanguage(): 'nl' | 'en' {
    return this.languages.current() === 'nl' ? 'en' : 'nl';
  }

  protected toggleLanguage(): void {
    void this.languages.use(this.otherLanguage());
  }

  async submit(): Promise<void> {
    this.notice.set(null);
    if (this.form.invalid) {
      this.error.set('login.required');
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
