// One stack (fresh database, migrated by the real CLI; api and worker processes) for the whole run,
// with a real SMTP server and SMS provider on loopback that the tests read.
// tools/ is not an Nx project: the helpers are shared by both e2e projects on purpose.
// eslint-disable-next-line @nx/enforce-module-boundaries, @typescript-eslint/no-require-imports
const { startStack } = require('../../../../tools/test/stack.cjs');
// eslint-disable-next-line @nx/enforce-module-boundaries, @typescript-eslint/no-require-imports
const { startMailCatcher } = require('../../../../tools/mail-catcher/mail-catcher.cjs');

module.exports = async function () {
  const catcher = await startMailCatcher();
  const stack = await startStack('km_api_e2e', {
    worker: true,
    redisDb: 1,
    env: {
      LOGIN_RATE_LIMIT: '5',
      LOGIN_ADDRESS_RATE_LIMIT: '10000',
      RESPOND_RATE_LIMIT: '20',
      SMTP_URL: catcher.smtpUrl,
      SMS_URL: catcher.smsUrl,
      SMS_API_KEY: catcher.smsKey,
      OUTBOX_POLL_MS: '100',
      // The tests' loopback client stands for the proxy in front, as nginx does for the compose api.
      TRUST_PROXY: '127.0.0.1',
    },
  });
  (globalThis as Record<string, unknown>)['__KM_STACK__'] = stack;
  (globalThis as Record<string, unknown>)['__KM_MAIL__'] = catcher;
  process.env['KM_E2E_BASE_URL'] = stack.baseUrl;
  process.env['KM_E2E_ADMIN_DB_URL'] = stack.db.adminUrl;
  process.env['KM_E2E_APP_DB_URL'] = stack.db.appUrl;
  process.env['KM_E2E_JWT_SECRET'] = stack.env.JWT_SECRET;
  process.env['KM_E2E_REDIS_URL'] = stack.env.REDIS_URL;
  process.env['KM_E2E_ENV'] = JSON.stringify(stack.env);
  process.env['KM_E2E_MAIL_URL'] = catcher.httpUrl;
};
