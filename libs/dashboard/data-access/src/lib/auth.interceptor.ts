import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { AuthStore } from './auth.store';

/** Adds the bearer token to API calls; a 401 on any call but sign-in ends the session. */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const auth = inject(AuthStore);
  const router = inject(Router);
  const token = auth.token();
  const isApi = req.url.startsWith('/api/');
  // A client's questionnaire link works without an account: never send a staff token along.
  const isRespond = req.url.startsWith('/api/v1/respond/');
  const authed = isApi && !isRespond && token ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : req;
  return next(authed).pipe(
    catchError((err: unknown) => {
      if (err instanceof HttpErrorResponse && err.status === 401 && isApi && !req.url.endsWith('/auth/login')) {
        auth.clear();
        void router.navigate(['/inloggen'], { queryParams: { reden: 'verlopen' } });
      }
      return throwError(() => err);
    }),
  );
};
