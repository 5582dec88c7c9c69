export * from './lib/system.module';
