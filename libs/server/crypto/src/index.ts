export * from './lib/passwords';
export * from './lib/secret-box';
export * from './lib/totp';
