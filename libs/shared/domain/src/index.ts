export * from './lib/roles';
export * from './lib/steps';
export * from './lib/municipality';
export * from './lib/api-contracts';
export * from './lib/counseling';
export * from './lib/analytics';
export * from './lib/benchmark';
export * from './lib/intake';
