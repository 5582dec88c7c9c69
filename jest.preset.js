const nxPreset = require('@nx/jest/preset').default;

// Libraries whose code is exercised only by the integration suites (api-e2e, dashboard-e2e)
// have no unit tests of their own; `npm test` reports the counts per kind.
module.exports = { ...nxPreset, passWithNoTests: true };
