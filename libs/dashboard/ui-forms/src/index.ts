export * from './lib/form-errors';
export * from './lib/field';
export * from './lib/form-feedback';
export * from './lib/confirm-dialog';
export * from './lib/municipality-picker';
