import { expect, onConfirm, test } from './support/test';
import { Secret, TOTP } from 'otpauth';
import { ACCOUNTS, expectAccessible, screenshot } from './support/helpers';

/** What an authenticator app shows for `secret`, `stepsAhead` 30-second steps from now. */
function code(secret: string, stepsAhead = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  return totp.generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

test('a counselor turns on the extra sign-in code and then needs it to sign in', async ({ page, request }) => {
  // Six sign-ins, a code that may have to wait for the next 30-second step, recovery codes: a long story.
  test.setTimeout(60_000);
  // A colleague of its own, so the demo accounts stay as they are.
  const admin = await (
    await request.post('/api/v1/auth/login', {
      data: { email: ACCOUNTS.org_admin.email, password: ACCOUNTS.org_admin.password },
    })
  ).json();
  const auth = { authorization: `Bearer ${admin.accessToken}` };
  const me = await (await request.get('/api/v1/me', { headers: auth })).json();
  const email = `tweestaps-${Date.now()}@noordoost.demo.klantmonitor.nl`;
  const password = 'een-lang-wachtwoord';
  const created = await request.post(`/api/v1/organisations/${me.organisation.id}/users`, {
    headers: auth,
    data: { email, password, role: 'counselor', name: 'Tweestaps Test' },
  });
  expect(created.status()).toBe(201);

  const signInForm = async () => {
    await page.goto('/inloggen');
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill(password);
    await page.getByRole('button', { name: 'Inloggen' }).click();
  };
  await signInForm();
  await page.waitForURL('**/start');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Mijn account' }).click();
  await expect(page.getByRole('heading', { name: 'Mijn account' })).toBeVisible();
  await expect(page.getByTestId('totp-status')).toHaveText('Uit: je logt nu alleen in met je wachtwoord.');
  // Setting up asks for the password again; a wrong one is said next to the form.
  await page.getByRole('button', { name: 'Extra code instellen' }).click();
  await expect(page.getByRole('alert')).toHaveText('Typ eerst je wachtwoord.');
  await page.getByLabel('Je wachtwoord').fill('niet-mijn-wachtwoord');
  await page.getByRole('button', { name: 'Extra code instellen' }).click();
  await expect(page.getByRole('alert')).toHaveText('Dit is niet je wachtwoord. Probeer het opnieuw.');
  await page.getByLabel('Je wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Extra code instellen' }).click();
  await expect(
    page.getByRole('img', { name: 'QR-code om Klantmonitor toe te voegen aan je authenticator-app' }),
  ).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expectAccessible(page);
  await screenshot(page, 'account-totp-setup');

  // A typing slip first, then the right code.
  const confirm = page.getByLabel('Stap 2. Typ de code die je app nu laat zien.');
  await confirm.fill('12345');
  await page.getByRole('button', { name: 'Zet de extra code aan' }).click();
  await expect(page.getByRole('alert')).toHaveText('Een code bestaat uit 6 cijfers.');
  await confirm.fill(code(secret));
  await page.getByRole('button', { name: 'Zet de extra code aan' }).click();
  await expect(page.getByRole('status')).toHaveText(
    'Klaar. Vanaf nu vragen we bij het inloggen ook een code uit je app.',
  );
  await expect(page.getByTestId('totp-status')).toHaveText('Aan: bij het inloggen vragen we ook een code uit je app.');
  // Ten recovery codes, shown this once, for a lost phone.
  await expect(page.getByTestId('recovery-codes')).toBeFocused();
  const recovery = await page.getByTestId('recovery-codes').locator('code').allInnerTexts();
  expect(recovery).toHaveLength(10);
  await expectAccessible(page);
  await screenshot(page, 'account-totp-on');
  await page.getByRole('button', { name: 'Ik heb de codes bewaard' }).click();
  await expect(page.getByTestId('recovery-codes')).toHaveCount(0);
  await expect(page.getByTestId('recovery-left')).toHaveText(
    'Je hebt nog 10 herstelcodes voor als je je telefoon kwijt bent.',
  );
  // Turning it on ended the old session; the page carries on in the new one it was given (a reload
  // asks the API who is signed in with the stored token: the old one would be sent to sign in).
  await page.reload();
  await expect(page.getByTestId('totp-status')).toHaveText('Aan: bij het inloggen vragen we ook een code uit je app.');
  await expect(page).toHaveURL(/\/account$/);

  // Signing in now asks for the code after the password; a wrong code gets a plain message.
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await signInForm();
  await expect(page.getByRole('status')).toHaveText(
    'Je account is extra beveiligd. Vul de code uit je authenticator-app in.',
  );
  const codeField = page.getByLabel('Code uit je app');
  await expect(codeField).toBeFocused(); // ready to type, also for keyboard and screen-reader users
  await expectAccessible(page);
  await screenshot(page, 'sign-in-code');
  await codeField.fill(code(secret, -10));
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'Deze code klopt niet of is al gebruikt. Typ de code die je app nu laat zien.',
  );
  // The code used to turn it on is spent; the next one (apps show it early enough) works.
  await codeField.fill(code(secret, 1));
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL('**/start');
  await expect(page.getByTestId('who')).toContainText('Tweestaps Test');
  // No phone at hand: a recovery code works instead, once.
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await signInForm();
  await page.getByLabel('Code uit je app').fill(recovery[0]);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL('**/start');
  await page.goto('/account');
  await expect(page.getByTestId('recovery-left')).toHaveText(
    'Je hebt nog 9 herstelcodes voor als je je telefoon kwijt bent.',
  );

  // The phone is lost: the organisation admin turns the extra code off on the users page.
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await page.getByLabel('E-mailadres').fill(ACCOUNTS.org_admin.email);
  await page.getByLabel('Wachtwoord').fill(ACCOUNTS.org_admin.password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL('**/start');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Gebruikers' }).click();
  const row = page.getByTestId('users').getByRole('row').filter({ hasText: email });
  await expect(row).toContainText('Aan');
  const answered1 = onConfirm(page, true);
  await row.getByRole('button', { name: `Uitzetten (${email})` }).click();
  await answered1;
  await expect(page.getByTestId('user-message')).toHaveText(
    `De extra code van ${email} staat uit. Deze collega kan hem na het inloggen opnieuw instellen.`,
  );
  await expect(row).toContainText('Uit');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await signInForm();
  await page.waitForURL('**/start');
});

test('an organisation requires the extra code for a role: a new colleague sets it up first, then works', async ({
  page,
  request,
}) => {
  const admin = await (
    await request.post('/api/v1/auth/login', {
      data: { email: ACCOUNTS.org_admin.email, password: ACCOUNTS.org_admin.password },
    })
  ).json();
  const auth = { authorization: `Bearer ${admin.accessToken}` };
  const me = await (await request.get('/api/v1/me', { headers: auth })).json();
  const orgId: string = me.organisation.id;
  const email = `verplicht-${Date.now()}@noordoost.demo.klantmonitor.nl`;
  const password = 'een-lang-wachtwoord';
  expect(
    (
      await request.post(`/api/v1/organisations/${orgId}/users`, {
        headers: auth,
        data: { email, password, role: 'policy_advisor', name: 'Verplicht Test' },
      })
    ).status(),
  ).toBe(201);
  try {
    // The admin ticks "Beleidsadviseur" on the users page and saves.
    await page.goto('/inloggen');
    await page.getByLabel('E-mailadres').fill(ACCOUNTS.org_admin.email);
    await page.getByLabel('Wachtwoord').fill(ACCOUNTS.org_admin.password);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL('**/start');
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Gebruikers' }).click();
    const policy = page.getByRole('region', { name: 'Inloggen met een extra code verplicht' });
    await policy.getByLabel('Beleidsadviseur').check();
    await policy.getByRole('button', { name: 'Opslaan' }).click();
    await expect(policy.getByTestId('totp-policy-message')).toHaveText(
      'Opgeslagen. Dit geldt vanaf de volgende keer inloggen.',
    );
    await expectAccessible(page);
    await screenshot(page, 'totp-policy');
    await page.getByRole('button', { name: 'Uitloggen' }).click();

    // The colleague signs in: only the account page, with the reason, until the code is on.
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill(password);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL('**/account');
    await expect(page.getByTestId('totp-required')).toHaveText(
      'Voor jouw rol is de extra code verplicht. Stel hem nu in; daarna kun je Klantmonitor weer gebruiken.',
    );
    await expect(page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link')).toHaveText(['Mijn account']);
    await page.goto('/vergelijken');
    await page.waitForURL('**/account');
    await expectAccessible(page);
    await screenshot(page, 'totp-required');
    await page.getByLabel('Je wachtwoord').fill(password);
    await page.getByRole('button', { name: 'Extra code instellen' }).click();
    const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
    await page.getByLabel('Stap 2. Typ de code die je app nu laat zien.').fill(code(secret));
    await page.getByRole('button', { name: 'Zet de extra code aan' }).click();
    await expect(page.getByTestId('totp-required-on')).toHaveText(
      'Voor jouw rol is de extra code verplicht: hij blijft aan.',
    );
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vergelijken' }).click();
    await expect(page).toHaveURL(/\/vergelijken/);
  } finally {
    expect(
      (
        await request.put(`/api/v1/organisations/${orgId}/security`, { headers: auth, data: { totpRequiredRoles: [] } })
      ).status(),
    ).toBe(200);
  }
});

test('a counselor changes the password, is asked to sign in again, and the new one works', async ({
  page,
  request,
}) => {
  // A colleague of its own, so the demo accounts stay as they are.
  const admin = await (
    await request.post('/api/v1/auth/login', {
      data: { email: ACCOUNTS.org_admin.email, password: ACCOUNTS.org_admin.password },
    })
  ).json();
  const auth = { authorization: `Bearer ${admin.accessToken}` };
  const me = await (await request.get('/api/v1/me', { headers: auth })).json();
  const email = `wachtwoord-${Date.now()}@noordoost.demo.klantmonitor.nl`;
  const created = await request.post(`/api/v1/organisations/${me.organisation.id}/users`, {
    headers: auth,
    data: { email, password: 'een-lang-wachtwoord', role: 'counselor', name: 'Wachtwoord Test' },
  });
  expect(created.status()).toBe(201);
  const signIn = async (password: string) => {
    await page.goto('/inloggen');
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill(password);
    await page.getByRole('button', { name: 'Inloggen' }).click();
  };
  await signIn('een-lang-wachtwoord');
  await page.waitForURL('**/start');
  await page.goto('/account');
  const form = page.locator('#password-title').locator('..');
  // Plain messages next to the form: a wrong current password, a common new one, two that differ.
  await page.getByLabel('Je huidige wachtwoord').fill('niet-mijn-wachtwoord');
  await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('paars-fiets-op-de-dijk');
  await page.getByLabel('Nieuw wachtwoord nog een keer').fill('paars-fiets-op-de-dijk');
  await form.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
  await expect(form.getByTestId('password-error')).toHaveText(
    'Dit is niet je huidige wachtwoord. Probeer het opnieuw.',
  );
  await page.getByLabel('Je huidige wachtwoord').fill('een-lang-wachtwoord');
  await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('Wachtwoord1234');
  await page.getByLabel('Nieuw wachtwoord nog een keer').fill('Wachtwoord1234');
  await form.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
  await expect(form.getByTestId('password-error')).toHaveText('Dit wachtwoord wordt te vaak gebruikt. Kies een ander.');
  await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('paars-fiets-op-de-dijk');
  await page.getByLabel('Nieuw wachtwoord nog een keer').fill('paars-fiets-op-de-dijkk');
  await form.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
  await expect(form.getByTestId('password-error')).toHaveText('De twee nieuwe wachtwoorden zijn niet gelijk.');
  await expectAccessible(page);

  await page.getByLabel('Nieuw wachtwoord nog een keer').fill('paars-fiets-op-de-dijk');
  await form.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
  await page.waitForURL('**/inloggen?reden=wachtwoord');
  await expect(page.getByText('Je wachtwoord is gewijzigd. Log in met je nieuwe wachtwoord.')).toBeVisible();
  await signIn('paars-fiets-op-de-dijk');
  await page.waitForURL('**/start');
});
