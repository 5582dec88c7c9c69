import { Routes } from '@angular/router';
import { roleGuard } from '@klantmonitor/dashboard/data-access';
import { CaseloadPage } from './caseload-page';
import { ClientPage } from './client-page';
import { NewClientPage } from './new-client-page';

/** Lazy routes under /clienten, for counselors and organisation admins. */
export const caseloadRoutes: Routes = [
  {
    path: '',
    component: CaseloadPage,
    canActivate: [roleGuard('counselor', 'org_admin')],
    title: 'Cliënten · Klantmonitor',
  },
  {
    path: 'nieuw',
    component: NewClientPage,
    canActivate: [roleGuard('counselor', 'org_admin')],
    title: 'Nieuwe cliënt · Klantmonitor',
  },
  {
    path: ':id',
    component: ClientPage,
    canActivate: [roleGuard('counselor', 'org_admin')],
    title: 'Cliënt · Klantmonitor',
  },
];
