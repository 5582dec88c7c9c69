export * from './lib/config';
export * from './lib/config.module';
