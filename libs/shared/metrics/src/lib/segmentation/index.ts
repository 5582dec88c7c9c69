export * from './prepare';
export * from './quality';
export * from './segments';
export * from './seeding';
export * from './scenarios';
