export * from './lib/trajectories.repository';
export * from './lib/trajectory-state';
export * from './lib/caseload.repository';
export * from './lib/client-record.repository';
export * from './lib/worklist.repository';
export * from './lib/stalled';
export * from './lib/retention';
export * from './lib/trajectory-import';
