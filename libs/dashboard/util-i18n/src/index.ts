export * from './lib/i18n';
export type { Translations } from './lib/nl';
export * from './lib/date.pipe';
