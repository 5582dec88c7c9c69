export * from './lib/caseload.module';
