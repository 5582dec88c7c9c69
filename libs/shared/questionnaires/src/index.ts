export * from './lib/klantbeleving';
export * from './lib/schedule';
