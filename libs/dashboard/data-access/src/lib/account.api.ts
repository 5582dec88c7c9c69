import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import type { TotpSetupResponse, TotpStatusResponse } from '@klantmonitor/shared/domain';

/** The signed-in user's own account: the second factor (TOTP). */
@Injectable({ providedIn: 'root' })
export class AccountApi {
  private readonly http = inject(HttpClient);

  changePassword(currentPassword: string, newPassword: string): Observable<void> {
    return this.http.post<void>('/api/v1/auth/password', { currentPassword, newPassword });
  }
  setupTotp(password: string): Observable<TotpSetupResponse> {
    return this.http.post<TotpSetupResponse>('/api/v1/auth/totp/setup', { password });
  }
  enableTotp(totp: string): Observable<TotpStatusResponse> {
    return this.http.post<TotpStatusResponse>('/api/v1/auth/totp/enable', { totp });
  }
  disableTotp(password: string, totp: string): Observable<TotpStatusResponse> {
    return this.http.post<TotpStatusResponse>('/api/v1/auth/totp/disable', { password, totp });
  }
  /** 202 whatever the address (the API never says whether it is known). */
  forgotPassword(email: string): Observable<void> {
    return this.http.post<void>('/api/v1/auth/password/forgot', { email });
  }
  /** Sets a password with the token of an e-mail link: a reset or an invitation. */
  useLink(purpose: 'invitation' | 'password_reset', token: string, password: string): Observable<void> {
    return this.http.post<void>(
      purpose === 'invitation' ? '/api/v1/auth/invitation/accept' : '/api/v1/auth/password/reset',
      { token, password },
    );
  }
  newRecoveryCodes(password: string): Observable<{ recoveryCodes: string[] }> {
    return this.http.post<{ recoveryCodes: string[] }>('/api/v1/auth/totp/recovery-codes', { password });
  }
}
