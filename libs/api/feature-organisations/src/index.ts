export * from './lib/organisations.module';
