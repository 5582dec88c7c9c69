import { Route } from '@angular/router';
import { authGuard, enrolmentGuard } from '@klantmonitor/dashboard/data-access';

/** Top-level routes (Dutch paths: they are what people see). Feature pages load lazily. */
export const appRoutes: Route[] = [
  {
    path: 'inloggen',
    title: 'Inloggen · Klantmonitor',
    loadComponent: () => import('@klantmonitor/dashboard/feature-auth').then((m) => m.LoginPage),
  },
  {
    path: 'wachtwoord-vergeten',
    title: 'Wachtwoord vergeten · Klantmonitor',
    loadComponent: () => import('@klantmonitor/dashboard/feature-auth').then((m) => m.ForgotPasswordPage),
  },
  {
    // The links of the account e-mails: a forgotten password and an invitation.
    path: 'wachtwoord/:token',
    title: 'Nieuw wachtwoord · Klantmonitor',
    data: { purpose: 'password_reset' },
    loadComponent: () => import('@klantmonitor/dashboard/feature-auth').then((m) => m.SetPasswordPage),
  },
  {
    path: 'welkom/:token',
    title: 'Welkom · Klantmonitor',
    data: { purpose: 'invitation' },
    loadComponent: () => import('@klantmonitor/dashboard/feature-auth').then((m) => m.SetPasswordPage),
  },
  {
    // A client's questionnaire link: no account, no staff layout.
    path: 'v/:token',
    title: 'Vragenlijst · Klantmonitor',
    loadComponent: () => import('@klantmonitor/dashboard/feature-respond').then((m) => m.RespondPage),
  },
  {
    // A client's own progress ("Mijn traject"): no account, no staff layout.
    path: 'mijn/:token',
    title: 'Mijn traject · Klantmonitor',
    loadComponent: () => import('@klantmonitor/dashboard/feature-respond').then((m) => m.PortalPage),
  },
  {
    path: '',
    canActivate: [authGuard],
    canActivateChild: [enrolmentGuard],
    loadComponent: () => import('@klantmonitor/dashboard/feature-shell').then((m) => m.Shell),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'start' },
      {
        path: 'start',
        title: 'Start · Klantmonitor',
        loadComponent: () => import('@klantmonitor/dashboard/feature-shell').then((m) => m.StartPage),
      },
      {
        path: 'clienten',
        loadChildren: () => import('@klantmonitor/dashboard/feature-caseload').then((m) => m.caseloadRoutes),
      },
      {
        path: 'account',
        title: 'Mijn account · Klantmonitor',
        loadComponent: () => import('@klantmonitor/dashboard/feature-auth').then((m) => m.AccountPage),
      },
      {
        path: 'segmentatie',
        loadChildren: () => import('@klantmonitor/dashboard/feature-segmentation').then((m) => m.segmentationRoutes),
      },
      {
        path: 'vergelijken',
        loadChildren: () => import('@klantmonitor/dashboard/feature-benchmark').then((m) => m.benchmarkRoutes),
      },
      {
        path: 'beheer',
        loadChildren: () => import('@klantmonitor/dashboard/feature-admin').then((m) => m.adminRoutes),
      },
      {
        path: 'geen-toegang',
        title: 'Geen toegang · Klantmonitor',
        loadComponent: () => import('@klantmonitor/dashboard/feature-shell').then((m) => m.ForbiddenPage),
      },
      {
        path: '**',
        title: 'Niet gevonden · Klantmonitor',
        loadComponent: () => import('@klantmonitor/dashboard/feature-shell').then((m) => m.NotFoundPage),
      },
    ],
  },
];
