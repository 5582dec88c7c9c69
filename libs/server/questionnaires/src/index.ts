export * from './lib/tokens';
export * from './lib/schedule.repository';
export * from './lib/responses.repository';
export * from './lib/planner';
export * from './lib/delivery';
export * from './lib/sweeps';
export * from './lib/messages';
export * from './lib/transports';
