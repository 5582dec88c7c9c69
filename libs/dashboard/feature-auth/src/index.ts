export * from './lib/login-page';
export * from './lib/account-page';
