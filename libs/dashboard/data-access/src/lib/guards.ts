import { inject } from '@angular/core';
import { CanActivateChildFn, CanActivateFn, Router } from '@angular/router';
import type { Role } from '@klantmonitor/shared/domain';
import { AuthStore } from './auth.store';

/** Pages behind sign-in: without a valid session, go to the sign-in page. */
export const authGuard: CanActivateFn = async () => {
  const auth = inject(AuthStore);
  const router = inject(Router);
  if (!auth.hasValidSession()) return router.createUrlTree(['/inloggen']);
  if (!auth.me()) {
    try {
      await auth.loadMe();
    } catch {
      auth.clear();
      return router.createUrlTree(['/inloggen']);
    }
  }
  return true;
};

/** A second factor is required for this account but not set up yet: only the account page until it is. */
export const enrolmentGuard: CanActivateChildFn = (_child, state) => {
  const me = inject(AuthStore).me();
  if (me?.totpRequired && !me.totpEnabled && !state.url.startsWith('/account'))
    return inject(Router).createUrlTree(['/account']);
  return true;
};

/** Pages for some roles only; others see the friendly "no access" page. */
export function roleGuard(...roles: Role[]): CanActivateFn {
  return () => {
    const auth = inject(AuthStore);
    const role = auth.role();
    return role !== null && roles.includes(role) ? true : inject(Router).createUrlTree(['/geen-toegang']);
  };
}
