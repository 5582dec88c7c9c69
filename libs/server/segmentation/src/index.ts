export * from './lib/models.repository';
