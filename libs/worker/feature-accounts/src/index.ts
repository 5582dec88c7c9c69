export * from './lib/accounts.module';
export * from './lib/account-mail';
