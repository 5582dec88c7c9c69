import { expect, test } from './support/test';
import { ACCOUNTS, Account, expectAccessible, screenshot, signIn, waitForMail } from './support/helpers';

test.describe('signing in', () => {
  test('the sign-in page is accessible, in Dutch, and switches to English', async ({ page }) => {
    await page.goto('/inloggen');
    await expect(page.getByRole('heading', { name: 'Inloggen' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
    await expectAccessible(page);
    await screenshot(page, 'sign-in-nl');
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await expect(page.getByRole('heading', { name: 'Inloggen' })).toBeVisible();
  });

  test('a wrong password gets a plain message and no session', async ({ page }) => {
    await page.goto('/inloggen');
    await page.getByLabel('E-mailadres').fill(ACCOUNTS.counselor.email);
    await page.getByLabel('Wachtwoord').fill('verkeerd-wachtwoord');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await expect(page.getByRole('alert')).toHaveText('Het e-mailadres of wachtwoord klopt niet.');
    await expect(page).toHaveURL(/\/inloggen/);
    await page.goto('/start');
    await expect(page).toHaveURL(/\/inloggen/);
  });

  for (const who of Object.keys(ACCOUNTS) as Account[]) {
    test(`${who} signs in and sees a shell made for that role`, async ({ page }) => {
      await signIn(page, who);
      await expect(page.getByTestId('who')).toContainText(ACCOUNTS[who].roleText);
      await expect(page.getByRole('heading', { level: 1 })).toContainText('Welkom');
      const menu = page.getByRole('navigation', { name: 'Hoofdmenu' });
      await expect(menu.getByRole('link', { name: 'Start' })).toBeVisible();
      await expect(menu.getByRole('link', { name: 'Organisaties' })).toHaveCount(who === 'platform_admin' ? 1 : 0);
      await expect(menu.getByRole('link', { name: 'Gebruikers' })).toHaveCount(who === 'org_admin' ? 1 : 0);
      if (who !== 'platform_admin') await expect(page.getByTestId('organisation-name')).toBeVisible();
      // Tools outside the app (API documentation, queues) open in a new tab and say so.
      for (const link of await menu.getByRole('link', { name: /nieuw tabblad/ }).all()) {
        await expect(link).toHaveAttribute('target', '_blank');
        await expect(link).toHaveAttribute('rel', 'noopener');
      }
      if (who === 'platform_admin') {
        await expect(menu.getByRole('link', { name: 'Wachtrijen (opent in een nieuw tabblad)' })).toHaveAttribute(
          'target',
          '_blank',
        );
        // The platform admin's start page shows how the system runs, queue by queue.
        await expect(page.getByTestId('health-database')).toContainText('draait');
        await expect(page.getByTestId('health-queues').locator('tr[data-queue="account-mail"]')).toBeVisible();
      } else await expect(page.getByTestId('system-health')).toHaveCount(0);
      if (who === 'org_admin') {
        // The organisation admin's start page: imports, users (as many as the API lists active) and undelivered invitations.
        const token = await page.evaluate(
          () => (JSON.parse(sessionStorage.getItem('km.session') ?? '{}') as { token?: string }).token,
        );
        const me = await (
          await page.request.get('/api/v1/me', { headers: { authorization: `Bearer ${token}` } })
        ).json();
        const users = await (
          await page.request.get(`/api/v1/organisations/${me.organisation.id}/users`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).json();
        await expect(page.getByTestId('overview-active')).toHaveText(
          String(users.filter((u: { active: boolean }) => u.active).length),
        );
        await expect(page.getByTestId('overview-imports')).toContainText('Laatste imports');
        await expect(page.getByTestId('overview-failures')).toContainText('Niet verstuurde vragenlijsten');
      } else await expect(page.getByTestId('admin-overview')).toHaveCount(0);
      await expectAccessible(page);
      await screenshot(page, `start-${who}`);
    });
  }

  test('signing out ends the session', async ({ page }) => {
    await signIn(page, 'counselor');
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await expect(page).toHaveURL(/\/inloggen/);
    await page.goto('/start');
    await expect(page).toHaveURL(/\/inloggen/);
  });

  test('the sign-in page fits a 320 px wide phone', async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto('/inloggen');
    await expect(page.getByRole('button', { name: 'Inloggen' })).toBeVisible();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page);
    await screenshot(page, 'sign-in-320px');
  });
});

test.describe('pages by role', () => {
  test('a counselor who opens an admin page gets the friendly no-access page', async ({ page }) => {
    await signIn(page, 'counselor');
    await page.goto('/beheer/organisaties');
    await expect(page.getByRole('heading', { name: 'Geen toegang' })).toBeVisible();
    await expectAccessible(page);
  });

  test('an unknown address gets the friendly not-found page', async ({ page }) => {
    await signIn(page, 'policy_advisor');
    await page.goto('/bestaat/niet');
    await expect(page.getByRole('heading', { name: 'Deze pagina bestaat niet' })).toBeVisible();
    await page.getByRole('link', { name: 'Naar de startpagina' }).click();
    await expect(page).toHaveURL(/\/start$/);
  });

  test('a platform admin creates an organisation through the form', async ({ page }) => {
    await signIn(page, 'platform_admin');
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Organisaties' }).click();
    await expect(page.getByTestId('organisations')).toContainText('Schuldhulp Noord-Oost');
    const name = `Stadsbank Test ${Date.now()}`;
    await page.getByLabel('Naam', { exact: true }).fill(name);
    await page.getByRole('combobox', { name: 'Gemeenten' }).fill('Zwol');
    await page.getByRole('combobox', { name: 'Gemeenten' }).press('Enter');
    // Correct Dutch for one (#25).
    await expect(page.getByText('1 gemeente gekozen')).toBeVisible();
    await page.getByRole('button', { name: 'Organisatie aanmaken' }).click();
    await expect(page.getByRole('status').filter({ hasText: name })).toBeVisible();
    await expect(page.getByTestId('organisations')).toContainText(name);
    await expect(page.getByRole('figure')).toContainText('Aantal gemeenten per organisatie');
    await expectAccessible(page);
    await screenshot(page, 'organisations');
  });

  test('an organisation admin invites a counselor, who chooses a password from the e-mail and signs in', async ({
    page,
  }) => {
    await signIn(page, 'org_admin');
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Gebruikers' }).click();
    await expect(page.getByTestId('users')).toContainText(ACCOUNTS.counselor.email);
    const email = `nieuw-${Date.now()}@noordoost.demo.klantmonitor.nl`;
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Naam').fill('Nieuwe Collega');
    await page.getByLabel('Rol', { exact: true }).selectOption('counselor');
    // No password to type: the colleague is invited.
    await expect(page.getByLabel(/Wachtwoord/)).toHaveCount(0);
    await page.getByRole('button', { name: 'Uitnodigen' }).click();
    await expect(page.getByTestId('user-message')).toContainText(`We hebben ${email} een uitnodiging gestuurd`);
    await expect(page.getByTestId('users')).toContainText(email);
    await expectAccessible(page);
    await screenshot(page, 'users');
    // An address that is taken (here or in another organisation: the same answer) is said in Dutch.
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByRole('button', { name: 'Uitnodigen' }).click();
    // ... under the e-mail field, which gets focus (#25).
    await expect(page.getByTestId('field-error')).toHaveText(
      'Dit e-mailadres kun je niet gebruiken voor een nieuwe gebruiker. Kies een ander e-mailadres.',
    );
    await expect(page.getByLabel('E-mailadres', { exact: true })).toBeFocused();
    await page.getByRole('button', { name: 'Uitloggen' }).click();

    // The invitation: the link opens "Welkom", the rules are checked before sending, then sign-in.
    const mail = await waitForMail(email);
    expect(mail.subject).toBe('Welkom bij Klantmonitor: kies je wachtwoord');
    const link = /https?:\/\/[^/\s]+(\/welkom\/[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
    expect(link).toBeTruthy();
    await page.goto(link as string);
    await expect(page.getByRole('heading', { name: 'Welkom bij Klantmonitor' })).toBeVisible();
    await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('kort');
    await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
    await expect(page.getByTestId('set-password-error')).toHaveText(
      'Het nieuwe wachtwoord moet minstens 12 tekens lang zijn.',
    );
    await expect(page.getByTestId('set-password-error')).toBeFocused();
    await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('een-eigen-lang-wachtwoord');
    await page.getByLabel('Nieuw wachtwoord nog een keer').fill('een-eigen-lang-wachtwoord');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
    await expect(page.getByText('Welkom! Je wachtwoord is ingesteld. Log nu in.')).toBeVisible();
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill('een-eigen-lang-wachtwoord');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await expect(page.getByTestId('who')).toContainText('Schuldhulpverlener');
    // The link works once.
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.goto(link as string);
    await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('nog-een-lang-wachtwoord');
    await page.getByLabel('Nieuw wachtwoord nog een keer').fill('nog-een-lang-wachtwoord');
    await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
    await expect(page.getByTestId('set-password-error')).toHaveText(
      'Deze link is al gebruikt. Een link werkt maar één keer.',
    );
    await expect(page.getByRole('link', { name: 'Vraag een nieuwe link aan' })).toBeVisible();
  });

  test('a forgotten password: ask for a link (the same answer for any address), choose a new one at 320 px', async ({
    page,
    request,
  }) => {
    // A colleague of the demo organisation with a password of their own (the demo accounts keep theirs).
    const admin = await (
      await request.post('/api/v1/auth/login', {
        data: { email: ACCOUNTS.org_admin.email, password: ACCOUNTS.org_admin.password },
      })
    ).json();
    const auth = { authorization: `Bearer ${admin.accessToken}` };
    const me = await (await request.get('/api/v1/me', { headers: auth })).json();
    const email = `vergeten-${Date.now()}@noordoost.demo.klantmonitor.nl`;
    expect(
      (
        await request.post(`/api/v1/organisations/${me.organisation.id}/users`, {
          headers: auth,
          data: { email, password: 'een-lang-wachtwoord', role: 'counselor' },
        })
      ).status(),
    ).toBe(201);

    await page.setViewportSize({ width: 320, height: 700 });
    await page.goto('/inloggen');
    await page.getByRole('link', { name: 'Wachtwoord vergeten?' }).click();
    await expect(page.getByRole('heading', { name: 'Wachtwoord vergeten' })).toBeVisible();
    await page.getByLabel('E-mailadres').fill('geen-adres');
    await page.getByRole('button', { name: 'Stuur mij een link' }).click();
    await expect(page.getByTestId('forgot-error')).toHaveText('Vul een geldig e-mailadres in, zoals naam@gemeente.nl.');
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByRole('button', { name: 'Stuur mij een link' }).click();
    await expect(page.getByTestId('forgot-sent')).toContainText('Als er een account is met dit e-mailadres');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'forgot-password-320');
    const mail = await waitForMail(email);
    expect(mail.subject).toBe('Nieuw wachtwoord voor Klantmonitor');
    const link = /https?:\/\/[^/\s]+(\/wachtwoord\/[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
    await page.goto(link as string);
    await expect(page.getByRole('heading', { name: 'Nieuw wachtwoord kiezen' })).toBeVisible();
    await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('een-nieuw-eigen-wachtwoord');
    await page.getByLabel('Nieuw wachtwoord nog een keer').fill('een-ander-eigen-wachtwoord');
    await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
    await expect(page.getByTestId('set-password-error')).toHaveText('De twee nieuwe wachtwoorden zijn niet gelijk.');
    // A common password is refused before anything is sent.
    await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('wachtwoord1234');
    await page.getByLabel('Nieuw wachtwoord nog een keer').fill('wachtwoord1234');
    await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
    await expect(page.getByTestId('set-password-error')).toHaveText(
      'Dit wachtwoord wordt te vaak gebruikt. Kies een ander.',
    );
    await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('een-nieuw-eigen-wachtwoord');
    await page.getByLabel('Nieuw wachtwoord nog een keer').fill('een-nieuw-eigen-wachtwoord');
    await expectAccessible(page);
    await screenshot(page, 'set-password-320');
    await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
    await expect(page.getByText('Je nieuwe wachtwoord is ingesteld. Log in met je nieuwe wachtwoord.')).toBeVisible();
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill('een-nieuw-eigen-wachtwoord');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await expect(page.getByTestId('who')).toContainText('Schuldhulpverlener');
  });
});
