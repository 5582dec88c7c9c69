export * from './lib/queues';
export * from './lib/redis';
