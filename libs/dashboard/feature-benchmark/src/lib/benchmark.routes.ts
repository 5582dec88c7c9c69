import { Routes } from '@angular/router';
import { roleGuard } from '@klantmonitor/dashboard/data-access';
import { BenchmarkPage } from './benchmark-page';

/** /vergelijken: policy advisors and organisation admins. */
export const benchmarkRoutes: Routes = [
  {
    path: '',
    component: BenchmarkPage,
    canActivate: [roleGuard('policy_advisor', 'org_admin')],
    title: 'Vergelijken · Klantmonitor',
  },
];
