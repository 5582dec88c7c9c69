export * from './lib/models.repository';
export * from './lib/intake-answers.repository';
