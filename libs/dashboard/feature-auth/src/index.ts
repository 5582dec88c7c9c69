export * from './lib/login-page';
export * from './lib/account-page';
export * from './lib/forgot-password-page';
export * from './lib/set-password-page';
