// eslint-disable-next-line @typescript-eslint/no-require-imports
const angularJestConfig = require('../../../jest.angular.cjs');

module.exports = angularJestConfig('dashboard-ui-forms', 'libs/dashboard/ui-forms');
