import { expect, test } from '@playwright/test';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ACCOUNTS, expectAccessible, screenshot } from './support/helpers';

const base = `http://127.0.0.1:${process.env['KM_DASHBOARD_E2E_PORT']}`;
const domain = `${randomUUID().slice(0, 8)}.noordoost.sso.nl`;
const email = `sanne@${domain}`;
const CLIENT_ID = 'klantmonitor-browser';
const CLIENT_SECRET = `secret-${randomUUID()}`;

let idp: ChildProcess;
let organisationId = '';
let platformToken = '';

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${platformToken}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
};

/**
 * Single sign-on in Chromium: a counselor of a demo organisation with its own identity provider (a
 * certified OpenID provider on loopback, tools/oidc) signs in without a Klantmonitor password.
 */
test.describe("signing in with the organisation's identity provider", () => {
  test.beforeAll(async () => {
    idp = spawn(
      process.execPath,
      [
        join(__dirname, '../../../tools/oidc/test-provider.mjs'),
        '0',
        CLIENT_ID,
        CLIENT_SECRET,
        `${base}/api/v1/auth/oidc/callback`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const issuer = await new Promise<string>((resolve, reject) => {
      idp.stdout?.on('data', (d: Buffer) => {
        const m = /READY (\S+)/.exec(d.toString());
        if (m) resolve(m[1]);
      });
      idp.on('exit', (code) => reject(new Error(`test provider exited (${code})`)));
    });
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ACCOUNTS.platform_admin.email, password: ACCOUNTS.platform_admin.password }),
    });
    platformToken = (await login.json()).accessToken;
    const orgs = (await api('GET', '/api/v1/organisations')).body as { id: string; name: string }[];
    organisationId = orgs.find((o) => o.name === 'Schuldhulp Noord-Oost')?.id as string;
    expect(
      (
        await api('PUT', `/api/v1/organisations/${organisationId}/sso`, {
          issuer,
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          emailDomains: [domain],
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api('POST', `/api/v1/organisations/${organisationId}/users`, {
          email,
          password: `unused-${randomUUID()}`,
          role: 'counselor',
          name: 'Sanne de Vries',
        })
      ).status,
    ).toBe(201);
  });

  test.afterAll(async () => {
    await api('DELETE', `/api/v1/organisations/${organisationId}/sso`);
    idp?.kill();
  });

  test('a counselor signs in through the provider without a password; an unknown address is told why not', async ({
    page,
    browser,
  }) => {
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.goto('/inloggen');
    await page.getByLabel('E-mailadres').fill(email);
    // The address belongs to an organisation with its own sign-in: the password gives way to one button.
    const button = page.getByRole('button', { name: 'Inloggen met je organisatie' });
    await expect(button).toBeVisible();
    await expect(page.getByTestId('login-sso')).toContainText('zonder wachtwoord van Klantmonitor');
    await expect(page.getByLabel('Wachtwoord')).toHaveCount(0);
    await expectAccessible(page);
    await screenshot(page, 'login-sso');
    await button.click();

    // The provider's own page.
    await expect(page.getByRole('heading', { name: 'Inloggen bij de testprovider' })).toBeVisible();
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    // Back in Klantmonitor, signed in; the one-time code is gone from the address.
    await page.waitForURL('**/start');
    await expect(page.getByRole('navigation', { name: 'Hoofdmenu' })).toBeVisible();
    expect(page.url()).not.toContain('sso=');
    await screenshot(page, 'login-sso-signed-in');

    // Someone the provider knows but Klantmonitor does not: back on the sign-in page, in plain words.
    const otherBrowser = await browser.newContext({ locale: 'nl-NL' });
    const other = await otherBrowser.newPage();
    await other.goto(`${base}/inloggen`);
    await other.getByLabel('E-mailadres').fill(`nobody@${domain}`);
    await other.getByRole('button', { name: 'Inloggen met je organisatie' }).click();
    await other.getByLabel('E-mailadres').fill(`nobody@${domain}`);
    await other.getByRole('button', { name: 'Inloggen' }).click();
    await expect(other.getByTestId('login-error')).toHaveText(
      'Er is in Klantmonitor geen account met dit e-mailadres. Vraag je beheerder om je toe te voegen.',
    );
    await expectAccessible(other);
    await screenshot(other, 'login-sso-refused');
    await otherBrowser.close();
  });
});
