import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot, signIn } from './support/helpers';

test("an organisation admin finds client groups in the demo's intake answers, reads their profile, names and uses them", async ({
  page,
}) => {
  // The demo clients answered the intake questionnaire, shaped like the study's three segments.
  const tag = Date.now().toString(36).toUpperCase();
  await signIn(page, 'org_admin');
  await page
    .getByRole('navigation', { name: 'Hoofdmenu' })
    .getByRole('link', { name: 'Klantgroepen' })
    .click();
  await expect(
    page.getByRole('heading', { name: 'Klantgroepen', level: 1 }),
  ).toBeVisible();
  await page.getByLabel('Hoogstens zoveel groepen').fill('4');
  await page.getByLabel('Pogingen per aantal').fill('3');
  await page.getByRole('button', { name: 'Start de analyse' }).click();
  await expect(page.getByTestId('seg-suggestion')).toHaveText(
    /^\s*Advies: [234] groepen\./,
    { timeout: 30_000 },
  );
  await expect(page.getByTestId('seg-n')).toContainText(
    /1\d\d cliënten in de analyse/,
  );
  // The scenario chart has a table view: k = 2, 3 and 4, sizes in Dutch numbers.
  await page.getByTestId('seg-silhouette-toggle').click();
  await expect(
    page.getByTestId('seg-silhouette-table').locator('tbody tr'),
  ).toHaveCount(3);
  await expect(
    page.getByTestId('seg-silhouette-table').locator('tbody tr').nth(1),
  ).toContainText(/\d+ \/ \d+ \/ \d+/);

  // The profile: per statement, flags above and below the other groups.
  await page.getByLabel('Bekijk de indeling in').selectOption('3');
  const profile = page.getByTestId('seg-profile-table');
  await expect(profile.locator('thead')).toContainText('Groep 1 (');
  await expect(profile.locator('tbody')).toContainText('▲');
  await expect(profile.locator('tbody')).toContainText('▼');
  await expectAccessible(page);
  await screenshot(page, 'segmentation');

  await page.getByRole('button', { name: 'Gebruiken' }).click();
  await expect(page.getByTestId('seg-notice')).toHaveText(
    'Geef elke groep een naam.',
  );
  await page.getByLabel('Naam van groep 1').fill(`Zelfstandig ${tag}`);
  await page.getByLabel('Naam van groep 2').fill(`Persoonlijk ${tag}`);
  await page.getByLabel('Naam van groep 3').fill(`Kwetsbaar ${tag}`);
  await page.getByRole('button', { name: 'Gebruiken' }).click();
  await expect(page.getByTestId('seg-notice')).toHaveText(
    /Klaar\. \d+ cliënten hebben nu een klanttype/,
  );
  await expect(
    page.getByTestId('seg-outcomes-table').locator('tbody tr').first(),
  ).toContainText(`Zelfstandig ${tag}`);
});
