export * from './lib/respond-page';
