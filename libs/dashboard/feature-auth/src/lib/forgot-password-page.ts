import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import { AccountApi, apiError, AuthStore } from '@klantmonitor/dashboard/data-access';

/**
 * "Wachtwoord vergeten": asks for a link by e-mail. The answer is the same whether the address is
 * known or not (the API says nothing either), so the page promises nothing it cannot know. An address
 * of an organisation that signs in by SSO only gets no mail (#22): the page says so and sends the
 * reader to the sign-in page (that its domain signs in so is public: /auth/oidc/check says it too).
 */
@Component({
  selector: 'km-forgot-password-page',
  imports: [ReactiveFormsModule, TranslatePipe, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main id="inhoud" class="login">
      <div class="login-card">
        <p class="brand" aria-hidden="true">Klantmonitor</p>
        <h1>{{ 'forgot.title' | translate }}</h1>
        <p>{{ 'forgot.intro' | translate }}</p>
        <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
          <label for="forgot-email">{{ 'login.email' | translate }}</label>
          <input
            id="forgot-email"
            type="email"
            formControlName="email"
            autocomplete="username"
            inputmode="email"
            required
            maxlength="254"
          />
          <button type="submit" class="primary" [disabled]="busy()">
            {{ 'forgot.submit' | translate }}
          </button>
          @if (ssoOnly()) {
            <p class="notice" role="status" data-testid="forgot-sso" tabindex="-1">
              {{ 'forgot.ssoOnly' | translate }}
            </p>
          }
          @if (sent()) {
            <p class="notice" role="status" data-testid="forgot-sent" tabindex="-1">
              {{ 'forgot.sent' | translate }}
            </p>
          }
          @if (error()) {
            <p class="error" role="alert" data-testid="forgot-error" tabindex="-1">
              {{ error()! | translate }}
            </p>
          }
        </form>
        <p>
          <a routerLink="/inloggen">{{ 'forgot.back' | translate }}</a>
        </p>
      </div>
    </main>
  `,
})
export class ForgotPasswordPage {
  private readonly api = inject(AccountApi);
  private readonly auth = inject(AuthStore);
  protected readonly busy = signal(false);
  protected readonly ssoOnly = signal(false);
  protected readonly sent = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    email: [''],
  });

  protected async submit(): Promise<void> {
    this.sent.set(false);
    this.ssoOnly.set(false);
    this.error.set(null);
    const email = this.form.getRawValue().email.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return this.fail('forgot.email');
    this.busy.set(true);
    try {
      if ((await this.auth.usesSso(email).catch(() => ({ ssoOnly: false }))).ssoOnly) {
        this.ssoOnly.set(true);
        setTimeout(() => document.querySelector<HTMLElement>('[data-testid="forgot-sso"]')?.focus());
        return;
      }
      await firstValueFrom(this.api.forgotPassword(email));
      this.sent.set(true);
      setTimeout(() => document.querySelector<HTMLElement>('[data-testid="forgot-sent"]')?.focus());
    } catch (e) {
      const status = apiError(e).statusCode;
      this.fail(
        status === 429
          ? 'login.tooMany'
          : status === 400
            ? 'forgot.email'
            : status === 0
              ? 'login.unreachable'
              : 'errors.generic',
      );
    } finally {
      this.busy.set(false);
    }
  }

  private fail(key: string): void {
    this.error.set(key);
    setTimeout(() => document.querySelector<HTMLElement>('[data-testid="forgot-error"]')?.focus());
  }
}
