export * from './lib/auth.store';
export * from './lib/auth.interceptor';
export * from './lib/guards';
export * from './lib/organisations.api';
export * from './lib/api-error';
export * from './lib/clients.api';
export * from './lib/imports.api';
export * from './lib/questionnaires.api';
