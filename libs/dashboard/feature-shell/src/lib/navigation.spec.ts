import { navigationFor } from './navigation';

describe('navigationFor', () => {
  it('gives platform admins the organisations, queues and API docs', () => {
    expect(navigationFor('platform_admin', null).map((i) => i.link)).toEqual([
      '/start',
      '/beheer/organisaties',
      '/api/admin/queues',
      '/api/docs',
      '/account',
    ]);
  });

  it('gives organisation admins the users of their own organisation', () => {
    expect(navigationFor('org_admin', 'org-1').map((i) => i.link)).toContain('/beheer/organisaties/org-1/gebruikers');
    expect(navigationFor('org_admin', 'org-1').map((i) => i.link)).toContain('/beheer/vragenlijst');
    expect(navigationFor('org_admin', 'org-1').map((i) => i.link)).toContain('/beheer/analyse');
  });

  it('gives counselors and organisation admins the caseload, policy advisors never', () => {
    expect(navigationFor('counselor', 'org-1').map((i) => i.link)).toEqual(['/start', '/clienten', '/account']);
    expect(navigationFor('org_admin', 'org-1').map((i) => i.link)).toContain('/clienten');
    expect(navigationFor('policy_advisor', 'org-1').map((i) => i.link)).not.toContain('/clienten');
  });

  it('gives every role its own account page, last', () => {
    for (const role of ['platform_admin', 'org_admin', 'counselor', 'policy_advisor'] as const) {
      expect(navigationFor(role, 'org-1').at(-1)?.link).toBe('/account');
    }
  });

  it('gives counselors and policy advisors no admin pages', () => {
    for (const role of ['counselor', 'policy_advisor'] as const) {
      expect(navigationFor(role, 'org-1').some((i) => i.link.startsWith('/beheer') || i.link.startsWith('/api'))).toBe(
        false,
      );
    }
  });

  it('gives policy advisors and organisation admins the benchmark page, counselors not; policy advisors read client groups', () => {
    expect(navigationFor('policy_advisor', 'org-1').map((i) => i.link)).toEqual([
      '/start',
      '/vergelijken',
      '/segmentatie',
      '/account',
    ]);
    expect(navigationFor('counselor', 'org-1').map((i) => i.link)).not.toContain('/segmentatie');
    expect(navigationFor('org_admin', 'org-1').map((i) => i.link)).toContain('/vergelijken');
    expect(navigationFor('counselor', 'org-1').map((i) => i.link)).not.toContain('/vergelijken');
  });
});
