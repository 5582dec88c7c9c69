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
}
