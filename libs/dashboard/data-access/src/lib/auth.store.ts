import { HttpClient } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type { LoginResponse, MeResponse, Role } from '@klantmonitor/shared/domain';

const TOKEN_KEY = 'km.session';

interface Session {
  token: string;
  expiresAt: number;
}

/**
 * The signed-in user. The access token lives in sessionStorage (gone when the tab closes) and is
 * dropped when it expires or the API answers 401.
 */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly http = inject(HttpClient);
  private readonly session = signal<Session | null>(readSession());
  readonly me = signal<MeResponse | null>(null);

  readonly token = computed(() => this.session()?.token ?? null);
  readonly signedIn = computed(() => this.session() !== null);
  readonly role = computed<Role | null>(() => this.me()?.role ?? null);

  /** `totp`: the code of an authenticator app, for accounts with a second factor. */
  async login(email: string, password: string, totp?: string): Promise<MeResponse> {
    const res = await firstValueFrom(
      this.http.post<LoginResponse>('/api/v1/auth/login', { email, password, ...(totp ? { totp } : {}) }),
    );
    this.setSession({ token: res.accessToken, expiresAt: Date.now() + res.expiresIn * 1000 });
    return this.loadMe();
  }

  /** Whether this address signs in with its organisation's identity provider (single sign-on), and only so. */
  async usesSso(email: string): Promise<{ sso: boolean; ssoOnly: boolean }> {
    const res = await firstValueFrom(
      this.http.post<{ sso: boolean; ssoOnly?: boolean }>('/api/v1/auth/oidc/check', { email }),
    );
    return { sso: res.sso, ssoOnly: res.ssoOnly ?? false };
  }

  /**
   * The one-time code the provider's round trip ended with (/inloggen?sso=...) for the usual session;
   * 'totp' when the account's second factor is still to come (then again with `totp`). The browser's
   * cookie from the start of the sign-in goes with it (same origin).
   */
  async exchangeSsoCode(code: string, totp?: string): Promise<MeResponse | 'totp'> {
    const res = await firstValueFrom(
      this.http.post<LoginResponse | { totpRequired: true }>('/api/v1/auth/oidc/exchange', {
        code,
        ...(totp ? { totp } : {}),
      }),
    );
    if ('totpRequired' in res) return 'totp';
    this.setSession({ token: res.accessToken, expiresAt: Date.now() + res.expiresIn * 1000 });
    return this.loadMe();
  }

  /** A change to the account ended the old session; the answer carried the new one's token. */
  replaceToken(accessToken: string, expiresIn: number): void {
    this.setSession({ token: accessToken, expiresAt: Date.now() + expiresIn * 1000 });
  }

  async loadMe(): Promise<MeResponse> {
    const me = await firstValueFrom(this.http.get<MeResponse>('/api/v1/me'));
    this.me.set(me);
    return me;
  }

  /** Is there a session that has not expired yet? Clears an expired one. */
  hasValidSession(now = Date.now()): boolean {
    const s = this.session();
    if (s && s.expiresAt > now) return true;
    if (s) this.clear();
    return false;
  }

  logout(): void {
    // Also forget the queue-dashboard cookie; failure does not matter.
    this.http.post('/api/v1/auth/logout', {}).subscribe({ error: () => undefined });
    this.clear();
  }

  clear(): void {
    this.setSession(null);
    this.me.set(null);
  }

  private setSession(s: Session | null): void {
    this.session.set(s);
    try {
      if (s) sessionStorage.setItem(TOKEN_KEY, JSON.stringify(s));
      else sessionStorage.removeItem(TOKEN_KEY);
    } catch {
      /* storage unavailable: the session lasts this page only */
    }
  }
}

function readSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(TOKEN_KEY);
    const s = raw ? (JSON.parse(raw) as Session) : null;
    return s && typeof s.token === 'string' && typeof s.expiresAt === 'number' ? s : null;
  } catch {
    return null;
  }
}
