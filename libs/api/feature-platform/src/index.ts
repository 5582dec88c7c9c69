export * from './lib/platform.module';
export * from './lib/metrics';
export * from './lib/queue-dashboard';
