import { Routes } from '@angular/router';
import { roleGuard } from '@klantmonitor/dashboard/data-access';
import { SegmentationPage } from './segmentation-page';

/** /segmentatie: organisation admins; policy advisors read (#24). */
export const segmentationRoutes: Routes = [
  {
    path: '',
    component: SegmentationPage,
    canActivate: [roleGuard('org_admin', 'policy_advisor')],
    title: 'Klantgroepen · Klantmonitor',
  },
];
