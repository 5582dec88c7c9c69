export * from './lib/benchmark.routes';
export * from './lib/benchmark-page';
