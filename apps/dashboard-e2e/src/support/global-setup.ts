// Playwright loads this file as CommonJS.
// tools/ is not an Nx project: the helpers are shared by both e2e projects on purpose.
// eslint-disable-next-line @nx/enforce-module-boundaries, @typescript-eslint/no-require-imports
const { startStack } = require('../../../../tools/test/stack.cjs');
// eslint-disable-next-line @nx/enforce-module-boundaries, @typescript-eslint/no-require-imports
const { startMailCatcher } = require('../../../../tools/mail-catcher/mail-catcher.cjs');

/**
 * Starts api (serving the built dashboard) and worker on a fresh database with the demo data, with
 * a real SMTP server on loopback whose inbox the tests read (KM_DASHBOARD_MAIL_URL).
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const catcher = await startMailCatcher();
  const port = Number(process.env['KM_DASHBOARD_E2E_PORT']);
  const stack = await startStack('km_dashboard_e2e', {
    worker: true,
    demo: true,
    redisDb: 2,
    dashboard: true,
    port,
    env: { SMTP_URL: catcher.smtpUrl, OUTBOX_POLL_MS: '100', PUBLIC_URL: `http://127.0.0.1:${port}` },
  });
  process.env['KM_DASHBOARD_MAIL_URL'] = catcher.httpUrl;
  // Tests that run a nightly job now (instead of waiting for the night) add it to the queue here.
  process.env['KM_DASHBOARD_REDIS_URL'] = stack.env.REDIS_URL;
  return async () => {
    await stack.stop();
    await catcher.close();
  };
}
