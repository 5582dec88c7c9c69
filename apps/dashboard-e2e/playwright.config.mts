import { defineConfig } from '@playwright/test';
import { createServer } from 'node:net';

/**
 * Browser tests: Debian's Chromium (Playwright cannot download browsers here) against the built
 * dashboard served by the built api, on a fresh database with the demo data. Screenshots are kept in
 * test-output/screenshots.
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

// Chosen once in the main process; the workers inherit it through the environment.
process.env['KM_DASHBOARD_E2E_PORT'] ??= String(await freePort());

export default defineConfig({
  testDir: './src',
  outputDir: '../../test-output/dashboard-e2e',
  globalSetup: './src/support/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  reporter: [['list'], ['json', { outputFile: '../../test-output/dashboard-e2e.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${process.env['KM_DASHBOARD_E2E_PORT']}`,
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
});
