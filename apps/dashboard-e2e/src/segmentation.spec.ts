import { expect, onConfirm, test } from './support/test';
import { expectAccessible, screenshot, signIn } from './support/helpers';

test("an organisation admin finds client groups in the demo's intake answers, reads their profile, names and uses them", async ({
  page,
}) => {
  // Two analyses, an activation and a reload: more than the default 30 s on a busy 2-core machine.
  test.setTimeout(90_000);
  // The demo clients answered the intake questionnaire, shaped like the study's three segments.
  const tag = Date.now().toString(36).toUpperCase();
  await signIn(page, 'org_admin');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Klantgroepen' }).click();
  await expect(page.getByRole('heading', { name: 'Klantgroepen', level: 1 })).toBeVisible();
  await page.getByLabel('Hoogstens zoveel groepen').fill('4');
  await page.getByLabel('Pogingen per aantal').fill('3');
  await page.getByRole('button', { name: 'Start de analyse' }).click();
  await expect(page.getByTestId('seg-suggestion')).toHaveText(/^\s*Advies: [234] groepen\./, { timeout: 30_000 });
  await expect(page.getByTestId('seg-n')).toContainText(/1\d\d cliënten in de analyse/);
  // The scenario chart has a table view: k = 2, 3 and 4, sizes in Dutch numbers.
  await page.getByTestId('seg-silhouette-toggle').click();
  await expect(page.getByTestId('seg-silhouette-table').locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('seg-silhouette-table').locator('tbody tr').nth(1)).toContainText(/\d+ \/ \d+ \/ \d+/);

  // The profile: per statement, flags above and below the other groups.
  await page.getByLabel('Bekijk de indeling in').selectOption('3');
  const profile = page.getByTestId('seg-profile-table');
  await expect(profile.locator('thead')).toContainText('Groep 1 (');
  await expect(profile.locator('tbody')).toContainText('▲');
  await expect(profile.locator('tbody')).toContainText('▼');
  await expectAccessible(page);
  await screenshot(page, 'segmentation');

  await page.getByRole('button', { name: 'Gebruiken' }).click();
  await expect(page.getByTestId('seg-notice')).toHaveText('Geef elke groep een naam.');
  await page.getByLabel('Naam van groep 1').fill(`Zelfstandig ${tag}`);
  await page.getByLabel('Korte beschrijving van groep 1 (mag leeg)').fill('Regelt veel zelf, online');
  await page.getByLabel('Naam van groep 2').fill(`Persoonlijk ${tag}`);
  await page.getByLabel('Naam van groep 3').fill(`Kwetsbaar ${tag}`);
  await page.getByRole('button', { name: 'Gebruiken' }).click();
  await expect(page.getByTestId('seg-notice')).toHaveText(/Klaar\. \d+ cliënten hebben nu een klanttype/);
  await expect(page.getByTestId('seg-outcomes-table').locator('tbody tr').first()).toContainText(`Zelfstandig ${tag}`);
  // Outcomes with their 95% intervals (#24).
  await expect(page.getByTestId('seg-outcomes-table').locator('tbody tr').first()).toContainText(
    /95%: \d+,\d% – \d+,\d%/,
  );
  // The list of analyses marks this one as in use; the names stay filled in.
  await expect(page.getByTestId('seg-runs').locator('tbody tr').first()).toContainText('In gebruik: 3 groepen');
  await expect(page.getByTestId('seg-in-use')).toBeVisible();
  // The profile's headers carry the names now (#24), with the share.
  await expect(profile.locator('thead')).toContainText(`Zelfstandig ${tag} (`);

  // Outcomes for another step and window: the header says which.
  await page.getByLabel('Stap', { exact: true }).selectOption('goal_known');
  await page.getByLabel('Binnen hoeveel dagen').fill('30');
  await page.getByLabel('Binnen hoeveel dagen').press('Enter');
  await expect(page.getByTestId('seg-outcomes-table').locator('thead')).toContainText('Doel bekend binnen 30 dagen');

  // After a reload the page opens on the scenario in use, with its names and description.
  await page.reload();
  await expect(page.getByLabel('Naam van groep 1')).toHaveValue(`Zelfstandig ${tag}`);
  await expect(page.getByLabel('Korte beschrijving van groep 1 (mag leeg)')).toHaveValue('Regelt veel zelf, online');

  // Stopping a running analysis asks first; "Annuleren" in the dialog lets it run on.
  await page.getByRole('button', { name: 'Start de analyse' }).click();
  const asked = onConfirm(page, false);
  await page.getByTestId('seg-cancel').click();
  expect(await asked).toContain('Wil je deze analyse stoppen?');
  await expect(page.getByTestId('seg-runs').locator('tbody tr').first()).toContainText('Klaar', { timeout: 30_000 });
  await expectAccessible(page);
});

test('a policy advisor reads the client groups but cannot start, stop or name them (#24)', async ({ page }) => {
  await signIn(page, 'policy_advisor');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Klantgroepen' }).click();
  await expect(page.getByRole('heading', { name: 'Klantgroepen', level: 1 })).toBeVisible();
  await expect(page.getByTestId('seg-read-only')).toContainText('beheerder van uw organisatie');
  // The demo's analyses (and the admin's above) are listed; their profile opens.
  await expect(page.getByTestId('seg-runs').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('seg-profile-table')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start de analyse' })).toHaveCount(0);
  await expect(page.locator('form.names')).toHaveCount(0);
  await expectAccessible(page);
  await screenshot(page, 'segmentation-policy-advisor-1366');
});

test('a counselor fills in the intake questions one at a time on a 320 px phone, and the client gets a type', async ({
  browser,
}) => {
  const phone = await browser.newContext({
    viewport: { width: 320, height: 640 },
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
    isMobile: true,
    hasTouch: true,
  });
  const page = await phone.newPage();
  await signIn(page, 'counselor');
  const ref = `INTAKE-${Date.now()}`;
  await page.goto('/clienten/nieuw');
  await page.getByLabel('Cliëntnummer').fill(ref);
  await page.getByLabel('Gemeente').selectOption({ label: 'Zwolle' });
  await page.getByRole('button', { name: 'Cliënt aanmaken' }).click();
  await expect(page.getByRole('heading', { name: `Cliënt ${ref}` })).toBeVisible();
  await expect(page.getByTestId('intake-none')).toBeVisible();

  await page.getByTestId('intake-begin').click();
  await expect(page.getByText('Vraag 1 van 32')).toBeVisible();
  await expect(page.getByTestId('intake-statement')).toContainText('alleen de gegevens van mij gebruikt');
  await page.getByLabel('5 – Heel belangrijk').check();
  await expect(page.getByTestId('intake-next')).toHaveText('Volgende');
  await page.getByTestId('intake-next').click();
  // Statement 2 skipped, statement 3 answered; back once shows the answer kept.
  await expect(page.getByTestId('intake-next')).toHaveText('Overslaan');
  await page.getByTestId('intake-next').click();
  await page.getByLabel('2 – Niet belangrijk').check();
  await page.getByRole('button', { name: 'Vorige' }).click();
  await page.getByTestId('intake-next').click();
  await expect(page.getByLabel('2 – Niet belangrijk')).toBeChecked();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await expectAccessible(page);
  await screenshot(page, 'intake-form-320');
  for (let i = 2; i < 32; i++) await page.getByTestId('intake-next').click();
  await expect(page.getByTestId('intake-summary')).toContainText('Je hebt 2 van de 32 vragen beantwoord.');
  await page.getByTestId('intake-save').click();
  // The demo has client groups in use, so the answers give a client type at once.
  await expect(page.getByTestId('intake-notice')).toHaveText(/Opgeslagen: 2 antwoorden\. Klanttype: \S/);
  await expect(page.getByTestId('intake-latest')).toContainText('2 van de 32 vragen beantwoord');

  // Stopping halfway asks first when something was answered.
  await page.getByTestId('intake-begin').click();
  await page.getByLabel('3 – Neutraal').check();
  const answered1 = onConfirm(page, true);
  await page.getByRole('button', { name: 'Stoppen' }).click();
  await answered1;
  await expect(page.getByTestId('intake-begin')).toBeVisible();
  await phone.close();
});
