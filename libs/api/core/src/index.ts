export * from './lib/auth.decorators';
export * from './lib/auth.guard';
export * from './lib/validation';
export * from './lib/api-error.filter';
export * from './lib/too-many-requests';
export * from './lib/json-depth';
export * from './lib/attempt-limit';
export * from './lib/openapi';
