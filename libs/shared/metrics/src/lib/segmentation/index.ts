export * from './prepare';
export * from './quality';
export * from './segments';
export * from './scenarios';
