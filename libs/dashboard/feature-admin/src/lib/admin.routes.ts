import { Routes } from '@angular/router';
import { roleGuard } from '@klantmonitor/dashboard/data-access';
import { AnalyticsSettingsPage } from './analytics-settings-page';
import { ImportPage } from './import-page';
import { OrganisationsPage } from './organisations-page';
import { SchedulePage } from './schedule-page';
import { UsersPage } from './users-page';

/** Lazy routes under /beheer. */
export const adminRoutes: Routes = [
  { path: 'import', component: ImportPage, canActivate: [roleGuard('org_admin')], title: 'Importeren · Klantmonitor' },
  {
    path: 'vragenlijst',
    component: SchedulePage,
    canActivate: [roleGuard('org_admin')],
    title: 'Vragenlijst instellen · Klantmonitor',
  },
  {
    path: 'analyse',
    component: AnalyticsSettingsPage,
    canActivate: [roleGuard('org_admin')],
    title: 'Analyse instellen · Klantmonitor',
  },
  {
    path: 'organisaties',
    component: OrganisationsPage,
    canActivate: [roleGuard('platform_admin')],
    title: 'Organisaties · Klantmonitor',
  },
  {
    path: 'organisaties/:id/gebruikers',
    component: UsersPage,
    canActivate: [roleGuard('platform_admin', 'org_admin')],
    title: 'Gebruikers · Klantmonitor',
  },
];
