export * from './lib/queues';
export * from './lib/redis';
export * from './lib/outbox';
