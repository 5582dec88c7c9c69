import { Foundation1763800000000 } from './1763800000000-foundation';

/** Every migration, oldest first. Listed explicitly so the bundled api can run them. */
export const MIGRATIONS = [Foundation1763800000000];
