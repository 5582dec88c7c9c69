// Playwright loads this file as CommonJS.
// tools/ is not an Nx project: the stack helper is shared by both e2e projects on purpose.
// eslint-disable-next-line @nx/enforce-module-boundaries, @typescript-eslint/no-require-imports
const { startStack } = require('../../../../tools/test/stack.cjs');

/** Starts api (serving the built dashboard) and worker on a fresh database with the demo data. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const stack = await startStack('km_dashboard_e2e', {
    worker: true,
    demo: true,
    redisDb: 2,
    dashboard: true,
    port: Number(process.env['KM_DASHBOARD_E2E_PORT']),
  });
  return () => stack.stop();
}
