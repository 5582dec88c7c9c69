export * from './lib/questionnaires.module';
