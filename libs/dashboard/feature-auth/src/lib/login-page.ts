import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { ActivatedRoute, Router } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { apiError, AuthStore } from '@klantmonitor/dashboard/data-access';
import { LanguageService } from '@klantmonitor/dashboard/util-i18n';

/** The sign-in page for staff. Errors are announced to screen readers (role="alert"). */
@Component({
  selector: 'km-login-page',
  imports: [ReactiveFormsModule, TranslatePipe],
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
          <button type="submit" class="primary" [disabled]="busy()">
            {{ (busy() ? 'login.busy' : 'login.submit') | translate }}
          </button>
        </form>
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
    inject(ActivatedRoute).snapshot.queryParamMap.get('reden') === 'verlopen' ? 'login.expired' : null,
  );
  protected readonly form = inject(FormBuilder).nonNullable.group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });

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
      const { email, password } = this.form.getRawValue();
      await this.auth.login(email.trim(), password);
      await this.router.navigateByUrl('/start');
    } catch (e) {
      const status = apiError(e).statusCode;
      this.error.set(status === 401 ? 'login.wrong' : status === 429 ? 'login.tooMany' : status === 0 || status >= 500 ? 'login.unreachable' : 'login.wrong');
    } finally {
      this.busy.set(false);
    }
  }
}
