// One stack (fresh database, migrated by the real CLI; api and worker processes) for the whole run.
// tools/ is not an Nx project: the stack helper is shared by both e2e projects on purpose.
// eslint-disable-next-line @nx/enforce-module-boundaries, @typescript-eslint/no-require-imports
const { startStack } = require('../../../../tools/test/stack.cjs');

module.exports = async function () {
  const stack = await startStack('km_api_e2e', { worker: true, redisDb: 1, env: { LOGIN_RATE_LIMIT: '5', LOGIN_ADDRESS_RATE_LIMIT: '10000' } });
  (globalThis as Record<string, unknown>)['__KM_STACK__'] = stack;
  process.env['KM_E2E_BASE_URL'] = stack.baseUrl;
  process.env['KM_E2E_ADMIN_DB_URL'] = stack.db.adminUrl;
  process.env['KM_E2E_APP_DB_URL'] = stack.db.appUrl;
  process.env['KM_E2E_JWT_SECRET'] = stack.env.JWT_SECRET;
  process.env['KM_E2E_REDIS_URL'] = stack.env.REDIS_URL;
  process.env['KM_E2E_ENV'] = JSON.stringify(stack.env);
};
