/**
 * Test fixtures of the metrics, for tests only (never exported from the production barrel): the
 * hand-worked cases that the unit tests and the API tests both check their answers against.
 */
export * from './lib/analytics/hand-cases';
