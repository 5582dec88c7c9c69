/** Largest import file: 25 MB holds far more than a 50,000-row export (about 5 MB). */
export const IMPORT_MAX_BYTES = 25 * 1024 * 1024;
