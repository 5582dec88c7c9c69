export * from './lib/respond-page';
export * from './lib/portal-page';
