// eslint-disable-next-line @typescript-eslint/no-require-imports
const angularJestConfig = require('../../../jest.angular.cjs');

module.exports = angularJestConfig('dashboard-util-i18n', 'libs/dashboard/util-i18n');
