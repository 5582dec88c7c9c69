import { expect, onConfirm, test } from './support/test';
import { ACCOUNTS, expectAccessible, screenshot, signIn } from './support/helpers';

test("an organisation admin changes a colleague's role and takes access away and back, after a question each time", async ({
  page,
  browser,
  request,
}) => {
  // A colleague of its own, so the demo accounts stay as they are.
  const admin = await (
    await request.post('/api/v1/auth/login', {
      data: { email: ACCOUNTS.org_admin.email, password: ACCOUNTS.org_admin.password },
    })
  ).json();
  const auth = { authorization: `Bearer ${admin.accessToken}` };
  const email = `collega-${Date.now()}@noordoost.demo.klantmonitor.nl`;
  const me = await (await request.get('/api/v1/me', { headers: auth })).json();
  expect(
    (
      await request.post(`/api/v1/organisations/${me.organisation.id}/users`, {
        headers: auth,
        data: { email, password: 'een-lang-wachtwoord', role: 'counselor' },
      })
    ).status(),
  ).toBe(201);

  await signIn(page, 'org_admin');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Gebruikers' }).click();
  const status = page.getByTestId(`status-${email}`);
  await expect(status).toContainText('Actief');
  // The admin's own row has no buttons to lock themselves out.
  await expect(page.getByTestId(`status-${ACCOUNTS.org_admin.email}`).getByRole('button')).toHaveCount(0);

  // "Cancel" in the question changes nothing.
  const answered1 = onConfirm(page, false);
  await status.getByRole('button', { name: `Deactiveren (${email})` }).click();
  await answered1;
  await expect(status).toContainText('Actief');

  const asked = onConfirm(page, true);
  await status.getByRole('button', { name: `Deactiveren (${email})` }).click();
  await expect(page.getByTestId('users-message')).toHaveText(`${email} is gedeactiveerd en uitgelogd.`);
  expect(await asked).toContain('wordt direct uitgelogd');
  await expect(status).toContainText('Gedeactiveerd');
  expect(
    (await request.post('/api/v1/auth/login', { data: { email, password: 'een-lang-wachtwoord' } })).status(),
  ).toBe(401);

  await status.getByRole('button', { name: `Weer toegang geven (${email})` }).click();
  await expect(page.getByTestId('users-message')).toHaveText(`${email} kan weer inloggen.`);
  expect(
    (await request.post('/api/v1/auth/login', { data: { email, password: 'een-lang-wachtwoord' } })).status(),
  ).toBe(200);

  const answered2 = onConfirm(page, true);
  await page.getByLabel(`Rol van ${email}`).selectOption('policy_advisor');
  await answered2;
  await expect(page.getByTestId('users-message')).toHaveText(
    `${email} is nu Beleidsadviseur. Deze collega logt opnieuw in.`,
  );
  await expect(page.getByLabel(`Rol van ${email}`)).toHaveValue('policy_advisor');
  await expectAccessible(page);
  await screenshot(page, 'users');

  // The colleague, signed in elsewhere, lands on the policy advisor's start.
  const other = await browser.newPage();
  await other.goto('/inloggen');
  await other.getByLabel('E-mailadres').fill(email);
  await other.getByLabel('Wachtwoord').fill('een-lang-wachtwoord');
  await other.getByRole('button', { name: 'Inloggen' }).click();
  await other.waitForURL('**/start');
  await expect(other.getByTestId('start-benchmark')).toBeVisible();
  await other.close();
});
