export * from './lib/shell';
export * from './lib/start-page';
export * from './lib/error-pages';
export * from './lib/navigation';
