import type { Role } from '@klantmonitor/shared/domain';

export interface NavItem {
  label: string;
  link: string;
  /** A page outside the Angular app (served by the API). */
  external?: boolean;
}

/** What each role finds in the menu. Later capabilities add their pages here. */
export function navigationFor(role: Role | null, organisationId: string | null, enrolling = false): NavItem[] {
  // A required second factor not set up yet: the account page is all there is until it is.
  if (enrolling) return [{ label: 'nav.account', link: '/account' }];
  const items: NavItem[] = [{ label: 'nav.start', link: '/start' }];
  if (role === 'counselor' || role === 'org_admin') items.push({ label: 'nav.clients', link: '/clienten' });
  if (role === 'policy_advisor' || role === 'org_admin') items.push({ label: 'nav.benchmark', link: '/vergelijken' });
  // Client groups are a policy question too: a policy advisor reads them (#24); the admin's menu has them below.
  if (role === 'policy_advisor') items.push({ label: 'nav.segmentation', link: '/segmentatie' });
  if (role === 'platform_admin') {
    items.push(
      { label: 'nav.organisations', link: '/beheer/organisaties' },
      { label: 'nav.queues', link: '/api/admin/queues', external: true },
      { label: 'nav.apiDocs', link: '/api/docs', external: true },
    );
  }
  if (role === 'org_admin' && organisationId) {
    items.push(
      { label: 'nav.users', link: `/beheer/organisaties/${organisationId}/gebruikers` },
      { label: 'nav.import', link: '/beheer/import' },
      { label: 'nav.segmentation', link: '/segmentatie' },
      { label: 'nav.schedule', link: '/beheer/vragenlijst' },
      { label: 'nav.analyticsSettings', link: '/beheer/analyse' },
      { label: 'nav.apiDocs', link: '/api/docs', external: true },
    );
  }
  // Everyone's own account (the extra sign-in code) comes last.
  items.push({ label: 'nav.account', link: '/account' });
  return items;
}
