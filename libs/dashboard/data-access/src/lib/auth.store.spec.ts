import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { HttpClient } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { authInterceptor } from './auth.interceptor';
import { AuthStore } from './auth.store';

describe('AuthStore with the auth interceptor', () => {
  let http: HttpTestingController;
  let store: AuthStore;

  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(AuthStore);
  });

  afterEach(() => http.verify());

  it('signs in, keeps the token for the tab and sends it with API calls', async () => {
    const done = store.login('a@b.nl', 'pw');
    http.expectOne('/api/v1/auth/login').flush({ accessToken: 'tok.en.x', expiresIn: 60 });
    await Promise.resolve();
    const me = http.expectOne('/api/v1/me');
    expect(me.request.headers.get('Authorization')).toBe('Bearer tok.en.x');
    me.flush({ id: '1', email: 'a@b.nl', name: null, role: 'counselor', organisation: null });
    await done;
    expect(store.role()).toBe('counselor');
    expect(JSON.parse(sessionStorage.getItem('km.session') ?? '{}').token).toBe('tok.en.x');
  });

  it('ends the session and goes to sign-in on a 401', async () => {
    sessionStorage.setItem('km.session', JSON.stringify({ token: 't', expiresAt: Date.now() + 60000 }));
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(AuthStore);
    const router = TestBed.inject(Router);
    const navigate = jest.spyOn(router, 'navigate').mockResolvedValue(true);
    expect(store.signedIn()).toBe(true);
    TestBed.inject(HttpClient)
      .get('/api/v1/organisations')
      .subscribe({ error: () => undefined });
    http.expectOne('/api/v1/organisations').flush({ message: 'expired' }, { status: 401, statusText: 'Unauthorized' });
    expect(store.signedIn()).toBe(false);
    expect(navigate).toHaveBeenCalledWith(['/inloggen'], { queryParams: { reden: 'verlopen' } });
  });

  it('treats an expired session as none', () => {
    sessionStorage.setItem('km.session', JSON.stringify({ token: 't', expiresAt: 1000 }));
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    const fresh = TestBed.inject(AuthStore);
    expect(fresh.hasValidSession(2000)).toBe(false);
    expect(sessionStorage.getItem('km.session')).toBeNull();
  });
});
