import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import { passwordProblem } from '@klantmonitor/shared/domain';
import { AccountApi, apiError, statusErrorKey } from '@klantmonitor/dashboard/data-access';

type Purpose = 'invitation' | 'password_reset';

/** A refusal in the UI's words: by status and the API's detail code, never its English. */
function refusal(e: unknown): string {
  const err = apiError(e);
  const d = err.details?.[0];
  if (err.statusCode === 410) return d?.message === 'expired' ? 'setPassword.expired' : 'setPassword.used';
  if (err.statusCode === 404 || (err.statusCode === 400 && d?.field === 'token')) return 'setPassword.unknown';
  if (err.statusCode === 429) return 'login.tooMany';
  if (d?.field === 'password') return ruleKey(d.message);
  return statusErrorKey(err);
}

function ruleKey(message: string): string {
  if (message.includes('at least')) return 'password.tooShort';
  if (message.includes('e-mail')) return 'password.isEmail';
  if (message.includes('common')) return 'password.common';
  return 'password.tooLong';
}

/**
 * The page behind an e-mail link: /welkom/<token> (an invitation: choose your password) and
 * /wachtwoord/<token> (a forgotten password). Afterwards the sign-in page says what happened.
 */
@Component({
  selector: 'km-set-password-page',
  imports: [ReactiveFormsModule, TranslatePipe, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main id="inhoud" class="login">
      <div class="login-card">
        <p class="brand" aria-hidden="true">Klantmonitor</p>
        <h1>
          {{ (purpose === 'invitation' ? 'setPassword.welcomeTitle' : 'setPassword.resetTitle') | translate }}
        </h1>
        <p>
          {{ (purpose === 'invitation' ? 'setPassword.welcomeIntro' : 'setPassword.resetIntro') | translate }}
        </p>
        <p class="muted">
          {{ (purpose === 'invitation' ? 'password.rulesWelcome' : 'password.rulesReset') | translate }}
        </p>
        <form [formGroup]="form" (ngSubmit)="save()" novalidate>
          <label for="new-password">{{ 'password.new' | translate }}</label>
          <input id="new-password" type="password" formControlName="password" autocomplete="new-password" required />
          <label for="repeat-password">{{ 'password.repeat' | translate }}</label>
          <input id="repeat-password" type="password" formControlName="repeat" autocomplete="new-password" required />
          <button type="submit" class="primary" [disabled]="busy()">
            {{ 'setPassword.save' | translate }}
          </button>
          @if (error()) {
            <p class="error" role="alert" data-testid="set-password-error" tabindex="-1">
              {{ error()! | translate }}
            </p>
            @if (error() === 'setPassword.used' || error() === 'setPassword.expired') {
              <p>
                <a routerLink="/wachtwoord-vergeten">{{ 'setPassword.askNew' | translate }}</a>
              </p>
            }
          }
        </form>
      </div>
    </main>
  `,
})
export class SetPasswordPage {
  readonly token = input.required<string>();
  private readonly api = inject(AccountApi);
  private readonly router = inject(Router);
  protected readonly purpose: Purpose =
    inject(ActivatedRoute).snapshot.data['purpose'] === 'invitation' ? 'invitation' : 'password_reset';
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    password: [''],
    repeat: [''],
  });

  protected async save(): Promise<void> {
    const { password, repeat } = this.form.getRawValue();
    this.error.set(null);
    // The rules the API applies (the e-mail address is checked there): said before sending.
    const problem = passwordProblem(password, '');
    if (problem) return this.fail(ruleKey(problem));
    if (password !== repeat) return this.fail('password.noMatch');
    this.busy.set(true);
    try {
      await firstValueFrom(this.api.useLink(this.purpose, this.token(), password));
      await this.router.navigate(['/inloggen'], {
        queryParams: {
          reden: this.purpose === 'invitation' ? 'welkom' : 'hersteld',
        },
      });
    } catch (e) {
      this.fail(refusal(e));
    } finally {
      this.busy.set(false);
    }
  }

  private fail(key: string): void {
    this.error.set(key);
    setTimeout(() => document.querySelector<HTMLElement>('[data-testid="set-password-error"]')?.focus());
  }
}
