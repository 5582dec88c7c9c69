import { expect, onConfirm, test } from './support/test';
import { ACCOUNTS, expectAccessible, screenshot, signIn } from './support/helpers';

test('a platform admin changes an organisation, sees a refusal in Dutch next to the form, and deactivates it after a question', async ({
  page,
  request,
}) => {
  // An organisation of its own with one counselor, so the demo organisations stay as they are.
  const stamp = Date.now();
  const platform = await (
    await request.post('/api/v1/auth/login', {
      data: {
        email: ACCOUNTS.platform_admin.email,
        password: ACCOUNTS.platform_admin.password,
      },
    })
  ).json();
  const auth = { authorization: `Bearer ${platform.accessToken}` };
  const name = `Kredietbank Test ${stamp}`;
  const created = await request.post('/api/v1/organisations', {
    headers: auth,
    data: { name, municipalities: ['GM0344'] },
  });
  expect(created.status()).toBe(201);
  const org = await created.json();
  const email = `medewerker-${stamp}@kredietbank.test`;
  const password = 'een-lang-wachtwoord';
  expect(
    (
      await request.post(`/api/v1/organisations/${org.id}/users`, {
        headers: auth,
        data: { email, password, role: 'counselor' },
      })
    ).status(),
  ).toBe(201);

  await signIn(page, 'platform_admin');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Organisaties' }).click();
  const row = page
    .getByTestId('organisations')
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name }) });
  await expect(row).toContainText('Actief');

  // Edit: the form fills with the organisation; a new name and a second municipality.
  await row.getByRole('button', { name: 'Wijzigen' }).click();
  const form = page.getByTestId('organisation-form');
  await expect(form.getByRole('heading')).toHaveText(`${name} wijzigen`);
  await expect(form.getByLabel('Naam')).toBeFocused();
  await expect(form.getByLabel('Naam')).toHaveValue(name);
  await form.getByRole('combobox', { name: 'Gemeenten' }).fill('Amersfoort');
  await form.getByRole('option', { name: /Amersfoort/ }).click();
  await expect(form.getByTestId('picker-count')).toHaveText('2 gemeenten gekozen');
  await form.getByLabel('Naam').fill(`${name} Midden`);
  await form.getByRole('button', { name: 'Opslaan' }).click();
  const message = page.getByTestId('organisation-form-message');
  await expect(message).toHaveText(`De wijzigingen van ${name} Midden zijn opgeslagen.`);
  await expect(message).toBeFocused();
  const renamed = page
    .getByTestId('organisations')
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: `${name} Midden` }) });
  await expect(renamed).toContainText('Amersfoort');
  await expect(renamed).toContainText('Utrecht');

  // A name in use: the refusal is Dutch, by its code, under the name field (focused); nothing changes.
  await renamed.getByRole('button', { name: 'Wijzigen' }).click();
  await form.getByLabel('Naam').fill('Schuldhulp Noord-Oost');
  await form.getByRole('button', { name: 'Opslaan' }).click();
  await expect(form.getByTestId('field-error')).toHaveText(
    'Er is al een organisatie met deze naam. Kies een andere naam.',
  );
  await expect(form.getByLabel('Naam')).toBeFocused();
  await expect(form.getByLabel('Naam')).toHaveAttribute('aria-invalid', 'true');
  await form.getByRole('button', { name: 'Annuleren' }).click();
  await expect(form.getByRole('heading')).toHaveText('Nieuwe organisatie');

  // Deactivate: "Cancel" in the question changes nothing; OK signs the counselor out at once.
  const counselor = await (await request.post('/api/v1/auth/login', { data: { email, password } })).json();
  const answered1 = onConfirm(page, false);
  await renamed.getByRole('button', { name: 'Deactiveren' }).click();
  await answered1;
  await expect(renamed).toContainText('Actief');
  const asked = onConfirm(page, true);
  await renamed.getByRole('button', { name: 'Deactiveren' }).click();
  await expect(page.getByTestId('organisations-message')).toHaveText(
    `${name} Midden is gedeactiveerd. Iedereen van deze organisatie is uitgelogd.`,
  );
  expect(await asked).toContain('Niemand van deze organisatie kan dan nog inloggen');
  await expect(renamed).toContainText('Gedeactiveerd');
  expect(
    (
      await request.get('/api/v1/me', {
        headers: { authorization: `Bearer ${counselor.accessToken}` },
      })
    ).status(),
  ).toBe(401);
  expect((await request.post('/api/v1/auth/login', { data: { email, password } })).status()).toBe(401);
  await expectAccessible(page);
  await screenshot(page, 'organisations');

  const answered2 = onConfirm(page, true);
  await renamed.getByRole('button', { name: 'Weer activeren' }).click();
  await answered2;
  await expect(page.getByTestId('organisations-message')).toHaveText(`${name} Midden is weer actief.`);
  await expect(renamed).toContainText('Actief');
  expect((await request.post('/api/v1/auth/login', { data: { email, password } })).status()).toBe(200);
});
