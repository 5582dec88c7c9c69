export const SYSTEM_REDIS = Symbol('SYSTEM_REDIS');
