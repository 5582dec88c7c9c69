import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { Router } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import { AccountApi, apiError, statusErrorKey, AuthStore } from '@klantmonitor/dashboard/data-access';

/** API refusals of POST /auth/password, by field and message, in the UI's words. */
function refusal(e: unknown): string {
  const err = apiError(e);
  const d = err.details?.[0];
  if (err.statusCode === 429) return 'password.tooMany';
  if (d?.field === 'currentPassword') return 'password.currentWrong';
  if (d?.field === 'newPassword') {
    if (d.message.includes('at least')) return 'password.tooShort';
    if (d.message.includes('e-mail')) return 'password.isEmail';
    if (d.message.includes('common')) return 'password.common';
    if (d.message.includes('differ')) return 'password.same';
  }
  return statusErrorKey(err);
}

/**
 * Changing one's own password on "Mijn account". The API ends every session afterwards, this one
 * too, so the form signs out and opens the sign-in page with a message.
 */
@Component({
  selector: 'km-password-form',
  imports: [ReactiveFormsModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card" aria-labelledby="password-title">
      <h2 id="password-title">{{ 'password.title' | translate }}</h2>
      <p>{{ 'password.rules' | translate }}</p>
      <form [formGroup]="form" (ngSubmit)="save()" novalidate>
        <label for="pw-current">{{ 'password.current' | translate }}</label>
        <input id="pw-current" type="password" formControlName="current" autocomplete="current-password" required />
        <label for="pw-new">{{ 'password.new' | translate }}</label>
        <input id="pw-new" type="password" formControlName="next" autocomplete="new-password" minlength="12" required />
        <label for="pw-repeat">{{ 'password.repeat' | translate }}</label>
        <input id="pw-repeat" type="password" formControlName="repeat" autocomplete="new-password" required />
        <button type="submit" class="primary" [disabled]="busy()">{{ 'password.save' | translate }}</button>
        @if (error()) {
          <p class="error" role="alert" data-testid="password-error">{{ error()! | translate }}</p>
        }
      </form>
    </section>
  `,
})
export class PasswordForm {
  private readonly api = inject(AccountApi);
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({ current: [''], next: [''], repeat: [''] });

  protected async save(): Promise<void> {
    const v = this.form.getRawValue();
    this.error.set(null);
    if (!v.current) return this.error.set('password.currentRequired');
    if (v.next.length < 12) return this.error.set('password.tooShort');
    if (v.next !== v.repeat) return this.error.set('password.noMatch');
    this.busy.set(true);
    try {
      await firstValueFrom(this.api.changePassword(v.current, v.next));
      this.auth.clear();
      await this.router.navigate(['/inloggen'], { queryParams: { reden: 'wachtwoord' } });
    } catch (e) {
      this.error.set(refusal(e));
    } finally {
      this.busy.set(false);
    }
  }
}
