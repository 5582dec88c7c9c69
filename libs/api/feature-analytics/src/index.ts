export * from './lib/analytics.module';
export * from './lib/analytics-params';
