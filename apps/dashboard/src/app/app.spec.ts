import { appRoutes } from './app.routes';

describe('app routes', () => {
  it('keeps sign-in public and everything else behind the auth guard', () => {
    const login = appRoutes.find((r) => r.path === 'inloggen');
    const shell = appRoutes.find((r) => r.path === '');
    expect(login?.canActivate).toBeUndefined();
    expect(shell?.canActivate?.length).toBe(1);
    expect(shell?.children?.map((c) => c.path)).toEqual([
      '',
      'start',
      'clienten',
      'account',
      'segmentatie',
      'vergelijken',
      'beheer',
      'geen-toegang',
      '**',
    ]);
  });
});
