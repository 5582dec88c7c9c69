import { expect, test } from './support/test';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { ACCOUNTS, expectAccessible, screenshot, signIn } from './support/helpers';

const base = `http://127.0.0.1:${process.env['KM_DASHBOARD_E2E_PORT']}`;
const domain = `${randomUUID().slice(0, 8)}.noordoost.sso.nl`;
const email = `sanne@${domain}`;
const CLIENT_ID = 'klantmonitor-browser';
const CLIENT_SECRET = `secret-${randomUUID()}`;

let idp: ChildProcess;
let issuer = '';
let organisationId = '';
let platformToken = '';
let adminToken = '';

const api = async (method: string, path: string, body?: unknown, token = platformToken) => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
};
const tokenOf = async (email: string, password: string) => {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return (await res.json()).accessToken as string;
};
/** What an authenticator app shows for `secret`, `stepsAhead` 30-second steps from now. */
const code = (secret: string, stepsAhead = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: Date.now() + stepsAhead * 30_000,
  });

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
    issuer = await new Promise<string>((resolve, reject) => {
      idp.stdout?.on('data', (d: Buffer) => {
        const m = /READY (\S+)/.exec(d.toString());
        if (m) resolve(m[1]);
      });
      idp.on('exit', (code) => reject(new Error(`test provider exited (${code})`)));
    });
    platformToken = await tokenOf(ACCOUNTS.platform_admin.email, ACCOUNTS.platform_admin.password);
    adminToken = await tokenOf(ACCOUNTS.org_admin.email, ACCOUNTS.org_admin.password);
    const orgs = (await api('GET', '/api/v1/organisations')).body as { id: string; name: string }[];
    organisationId = orgs.find((o) => o.name === 'Schuldhulp Noord-Oost')?.id as string;
    // The organisation's own admin sets it (#22; a platform admin may not).
    expect(
      (
        await api(
          'PUT',
          `/api/v1/organisations/${organisationId}/sso`,
          { issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, emailDomains: [domain] },
          adminToken,
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await api(
          'POST',
          `/api/v1/organisations/${organisationId}/users`,
          { email, password: `unused-${randomUUID()}`, role: 'counselor', name: 'Sanne de Vries' },
          adminToken,
        )
      ).status,
    ).toBe(201);
  });

  test.afterAll(async () => {
    await api('DELETE', `/api/v1/organisations/${organisationId}/sso`);
    idp?.kill();
  });

  test('the organisation admin sets up signing in through the organisation; a wrong address is named at its field', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1366, height: 800 });
    await signIn(page, 'org_admin');
    await page.goto(`/beheer/organisaties/${organisationId}/gebruikers`);
    const form = page.getByTestId('sso-settings');
    await expect(form.getByRole('heading', { name: 'Inloggen via je organisatie' })).toBeVisible();
    await expect(form.getByTestId('sso-status')).toContainText(`Staat aan voor: ${domain}.`);
    // The stored secret is never shown; left empty, it stays.
    await expect(form.getByLabel('Client-geheim')).toHaveValue('');
    // An address inside a private network (the cloud's metadata service): refused, at the field, in Dutch.
    await form.getByLabel('Adres van het inlogsysteem (issuer)').fill('https://169.254.169.254/latest');
    await form.getByRole('button', { name: 'Opslaan' }).click();
    await expect(form.locator('#sso-issuer-error')).toHaveText(
      'Dit adres kan niet: het moet een openbaar https-adres zijn, geen adres binnen een eigen netwerk (zoals 10.…, 192.168.… of 169.254.…).',
    );
    await expect(form.getByLabel('Adres van het inlogsysteem (issuer)')).toBeFocused();
    await expect(form.getByTestId('sso-message')).toHaveText('Niet opgeslagen. Kijk bij de velden met een melding.');
    await expectAccessible(page);
    await screenshot(page, 'sso-settings-refused');
    // The right address, a second domain and the provider's own second step trusted.
    await form.getByLabel('Adres van het inlogsysteem (issuer)').fill(issuer);
    await form.getByLabel('E-maildomeinen').fill(`${domain}, team.${domain}`);
    await form.getByLabel('Het inlogsysteem vraagt zelf om een tweede stap').check();
    await form.getByRole('button', { name: 'Opslaan' }).click();
    await expect(form.getByTestId('sso-message')).toHaveText(
      'Opgeslagen. Medewerkers van deze domeinen loggen vanaf nu in via jullie organisatie.',
    );
    await expect(form.getByTestId('sso-status')).toContainText(`Staat aan voor: ${domain}, team.${domain}.`);
    await screenshot(page, 'sso-settings-saved');
    const saved = (await api('GET', `/api/v1/organisations/${organisationId}/sso`, undefined, adminToken)).body;
    expect(saved).toMatchObject({ issuer, emailDomains: [domain, `team.${domain}`].sort(), trustProviderMfa: true });
    // Back as it was for the sign-in tests below.
    await form.getByLabel('E-maildomeinen').fill(domain);
    await form.getByLabel('Het inlogsysteem vraagt zelf om een tweede stap').uncheck();
    await form.getByRole('button', { name: 'Opslaan' }).click();
    await expect(form.getByTestId('sso-status')).toContainText(`Staat aan voor: ${domain}.`);
  });

  test('an account with an extra code types it after the provider, on the sign-in page', async ({ page }) => {
    await page.setViewportSize({ width: 1366, height: 800 });
    const who = `totp-${randomUUID().slice(0, 6)}@${domain}`;
    const password = `pw-${randomUUID()}`;
    expect(
      (
        await api(
          'POST',
          `/api/v1/organisations/${organisationId}/users`,
          { email: who, password, role: 'counselor', name: 'Bram Bakker' },
          adminToken,
        )
      ).status,
    ).toBe(201);
    const token = await tokenOf(who, password);
    const secret = (await api('POST', '/api/v1/auth/totp/setup', { password }, token)).body.secret as string;
    expect((await api('POST', '/api/v1/auth/totp/enable', { totp: code(secret) }, token)).status).toBe(200);

    await page.goto('/inloggen');
    await page.getByLabel('E-mailadres').fill(who);
    await page.getByRole('button', { name: 'Inloggen met je organisatie' }).click();
    await page.getByLabel('E-mailadres').fill(who);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    // Back at Klantmonitor: not signed in yet, the code is asked, the one-time code is out of the address.
    await expect(page.getByTestId('login-sso-code')).toHaveText(
      'Je bent ingelogd bij je organisatie. Je account is extra beveiligd: vul nog de code uit je authenticator-app in.',
    );
    expect(page.url()).not.toContain('sso=');
    await expect(page.getByLabel('Code uit je app')).toBeFocused();
    await expectAccessible(page);
    await screenshot(page, 'login-sso-totp');
    // A wrong code: said at the field, still on the page.
    await page.getByLabel('Code uit je app').fill(code(secret, -20));
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await expect(page.getByTestId('login-error')).toHaveText(
      'Deze code klopt niet of is al gebruikt. Typ de code die je app nu laat zien.',
    );
    // The right one (the next step's: the current one was spent turning it on).
    await page.getByLabel('Code uit je app').fill(code(secret, 1));
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL('**/start');
    await expect(page.getByRole('navigation', { name: 'Hoofdmenu' })).toBeVisible();
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
