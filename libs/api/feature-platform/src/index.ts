export * from './lib/platform.module';
export * from './lib/prometheus';
export * from './lib/queue-dashboard';
