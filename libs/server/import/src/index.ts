export * from './lib/read-rows';
export * from './lib/dates';
export * from './lib/specs';
export * from './lib/read-import';
