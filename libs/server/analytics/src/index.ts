export * from './lib/analytics-query';
export * from './lib/facts';
export * from './lib/cells';
export * from './lib/answers';
export * from './lib/dashboard-queries';
export * from './lib/reference.repository';
export * from './lib/small-cells';
export * from './lib/protected';
