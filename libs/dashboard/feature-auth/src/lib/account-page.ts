import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { TranslatePipe } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import type { TotpSetupResponse, TotpStatusResponse } from '@klantmonitor/shared/domain';
import { AccountApi, apiError, AuthStore } from '@klantmonitor/dashboard/data-access';
import { PasswordForm } from './password-form';

/**
 * The signed-in user's own account: turning the extra sign-in code (TOTP) on and off. Setting up
 * shows a QR code and the key as text (for typing in), then asks for a first code to confirm.
 */
@Component({
  selector: 'km-account-page',
  imports: [ReactiveFormsModule, TranslatePipe, PasswordForm],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>{{ 'account.title' | translate }}</h1>
    @if (me(); as me) {
      <p class="lead">{{ me.name ?? me.email }} · {{ me.email }}</p>
      <section class="card" aria-labelledby="totp-title">
        <h2 id="totp-title">{{ 'account.totpTitle' | translate }}</h2>
        <p>{{ 'account.totpIntro' | translate }}</p>
        @if (me.totpRequired && !me.totpEnabled) {
          <p class="notice" role="status" data-testid="totp-required">{{ 'account.requiredFirst' | translate }}</p>
        }
        <p data-testid="totp-status">
          <strong>{{ (me.totpEnabled ? 'account.totpOn' : 'account.totpOff') | translate }}</strong>
        </p>
        @if (notice()) {
          <p class="notice" role="status" data-testid="account-notice">{{ notice()! | translate }}</p>
        }
        @if (error()) {
          <p class="error" role="alert" data-testid="account-error">{{ error()! | translate }}</p>
        }
        @if (recoveryCodes(); as codes) {
          <div class="notice" data-testid="recovery-codes" tabindex="-1">
            <p>
              <strong>{{ 'account.recoveryTitle' | translate }}</strong>
            </p>
            <p>{{ 'account.recoveryIntro' | translate }}</p>
            <ol class="recovery-codes">
              @for (c of codes; track c) {
                <li>
                  <code>{{ c }}</code>
                </li>
              }
            </ol>
            <button type="button" class="secondary" (click)="recoveryCodes.set(null)">
              {{ 'account.recoverySaved' | translate }}
            </button>
          </div>
        } @else if (me.totpEnabled) {
          <p data-testid="recovery-left">{{ 'account.recoveryLeft' | translate: { n: me.recoveryCodesLeft ?? 0 } }}</p>
          <form [formGroup]="form" (ngSubmit)="renewCodes()" novalidate aria-labelledby="renew-title">
            <p id="renew-title">{{ 'account.recoveryRenewIntro' | translate }}</p>
            <label for="password-renew">{{ 'account.password' | translate }}</label>
            <input
              id="password-renew"
              type="password"
              formControlName="password"
              autocomplete="current-password"
              required
            />
            <button type="submit" class="secondary" [disabled]="busy()">
              {{ 'account.recoveryRenew' | translate }}
            </button>
          </form>
        }
        @if (me.totpEnabled && me.totpRequired) {
          <p data-testid="totp-required-on">{{ 'account.requiredOn' | translate }}</p>
        } @else if (me.totpEnabled) {
          <form [formGroup]="form" (ngSubmit)="disable()" novalidate>
            <p>{{ 'account.disableIntro' | translate }}</p>
            <label for="password-off">{{ 'account.password' | translate }}</label>
            <input
              id="password-off"
              type="password"
              formControlName="offPassword"
              autocomplete="current-password"
              required
            />
            <label for="code-off">{{ 'account.code' | translate }}</label>
            <input
              id="code-off"
              formControlName="code"
              inputmode="numeric"
              autocomplete="one-time-code"
              maxlength="6"
              pattern="[0-9]{6}"
              required
            />
            <button type="submit" class="secondary" [disabled]="busy()">{{ 'account.disable' | translate }}</button>
          </form>
        } @else if (setup(); as s) {
          <p>{{ 'account.scan' | translate }}</p>
          <img class="qr" [src]="s.qrCode" width="240" height="240" [alt]="'account.qrAlt' | translate" />
          <p>{{ 'account.manual' | translate }}</p>
          <p>
            <code class="secret" data-testid="totp-secret">{{ grouped(s.secret) }}</code>
          </p>
          <form [formGroup]="form" (ngSubmit)="enable()" novalidate>
            <label for="code-on">{{ 'account.confirm' | translate }}</label>
            <input
              id="code-on"
              formControlName="code"
              inputmode="numeric"
              autocomplete="one-time-code"
              maxlength="6"
              pattern="[0-9]{6}"
              required
            />
            <button type="submit" class="primary" [disabled]="busy()">{{ 'account.enable' | translate }}</button>
          </form>
        } @else {
          <form [formGroup]="form" (ngSubmit)="start()" novalidate>
            <label for="password-on">{{ 'account.password' | translate }}</label>
            <input
              id="password-on"
              type="password"
              formControlName="password"
              autocomplete="current-password"
              required
            />
            <button type="submit" class="primary" [disabled]="busy()">{{ 'account.start' | translate }}</button>
          </form>
        }
      </section>
      <km-password-form />
    } @else {
      <p role="status">{{ 'app.loading' | translate }}</p>
    }
  `,
  styles: `
    .qr {
      display: block;
      max-width: 100%;
      height: auto;
      border: 1px solid #ccc;
    }
    .secret {
      font-size: 1.1rem;
      letter-spacing: 0.05em;
      word-break: break-all;
    }
    .recovery-codes {
      columns: 2;
      font-size: 1.1rem;
    }
  `,
})
export class AccountPage {
  private readonly api = inject(AccountApi);
  private readonly auth = inject(AuthStore);
  protected readonly me = this.auth.me;
  protected readonly setup = signal<TotpSetupResponse | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({ password: [''], offPassword: [''], code: [''] });
  /** Shown once, right after turning the code on or asking for new ones. */
  protected readonly recoveryCodes = signal<string[] | null>(null);

  /** The key in groups of four, as authenticator apps show keys: easier to type over. */
  protected grouped(secret: string): string {
    return secret.replace(/(.{4})(?=.)/g, '$1 ');
  }

  async start(): Promise<void> {
    const password = this.password();
    if (password === null) return;
    await this.run(async () => {
      this.setup.set(await firstValueFrom(this.api.setupTotp(password)));
    });
  }

  async enable(): Promise<void> {
    const code = this.code();
    if (code === null) return;
    await this.run(async () => {
      const res = await firstValueFrom(this.api.enableTotp(code));
      this.adopt(res);
      this.setup.set(null);
      await this.auth.loadMe();
      this.notice.set('account.enabled');
      this.showCodes(res.recoveryCodes ?? null);
    });
  }

  async renewCodes(): Promise<void> {
    const password = this.password();
    if (password === null) return;
    await this.run(async () => {
      const res = await firstValueFrom(this.api.newRecoveryCodes(password));
      await this.auth.loadMe();
      this.showCodes(res.recoveryCodes);
    });
  }

  private showCodes(codes: string[] | null): void {
    this.recoveryCodes.set(codes);
    if (codes) setTimeout(() => document.querySelector<HTMLElement>('[data-testid="recovery-codes"]')?.focus());
  }

  async disable(): Promise<void> {
    const password = this.password('offPassword');
    const code = password === null ? null : this.code();
    if (password === null || code === null) return;
    await this.run(async () => {
      this.adopt(await firstValueFrom(this.api.disableTotp(password, code)));
      await this.auth.loadMe();
      this.notice.set('account.disabled');
    });
  }

  /** Turning the code on or off ended every session; carry on in the new one. */
  private adopt(res: TotpStatusResponse): void {
    if (res.accessToken && res.expiresIn) this.auth.replaceToken(res.accessToken, res.expiresIn);
  }

  private password(field: 'password' | 'offPassword' = 'password'): string | null {
    this.notice.set(null);
    const password = this.form.getRawValue()[field];
    if (!password) {
      this.error.set('account.passwordRequired');
      return null;
    }
    return password;
  }

  private code(): string | null {
    this.notice.set(null);
    const code = this.form.getRawValue().code.trim();
    if (!/^\d{6}$/.test(code)) {
      this.error.set('account.codeFormat');
      return null;
    }
    return code;
  }

  private async run(work: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await work();
      this.form.reset();
    } catch (e) {
      const err = apiError(e);
      this.error.set(
        err.statusCode === 429
          ? 'account.tooMany'
          : err.details?.some((d) => d.field === 'password')
            ? 'account.passwordWrong'
            : err.statusCode === 0 || err.statusCode >= 500
              ? 'login.unreachable'
              : 'account.codeWrong',
      );
    } finally {
      this.busy.set(false);
    }
  }
}
