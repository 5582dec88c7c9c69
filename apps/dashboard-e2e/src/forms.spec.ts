import type { Page } from '@playwright/test';
import { expect, test } from './support/test';
import { expectAccessible, screenshot, signIn } from './support/helpers';

/**
 * #25: every form says what is wrong under the field itself (aria-invalid, aria-describedby), moves
 * focus to the first wrong field, refuses what is too long instead of cutting it, and names the
 * field that is wrong.
 */

/** The field's message as a screen reader gets it: the ids in aria-describedby, read out. */
async function describedBy(page: Page, label: string): Promise<string> {
  return page.getByLabel(label, { exact: true }).evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
      .join(' | '),
  );
}

test('new client: messages under the fields, focus on the first, nothing cut, a number in use named at its field', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, 'counselor');
  await page.goto('/clienten/nieuw');
  const ref = page.getByLabel('Cliëntnummer', { exact: true });
  const date = page.getByLabel('Datum eerste contact', { exact: true });
  await date.fill('');
  await page.getByRole('button', { name: 'Cliënt aanmaken' }).click();

  // Two wrong fields: each says so under itself, the first has focus, the summary lists both. Without
  // a first contact (a request that waits, #26) the day of registration is needed.
  const registered = page.getByLabel('Aangemeld op', { exact: true });
  await expect(ref).toBeFocused();
  await expect(ref).toHaveAttribute('aria-invalid', 'true');
  await expect(registered).toHaveAttribute('aria-invalid', 'true');
  expect(await describedBy(page, 'Cliëntnummer')).toContain('Vul cliëntnummer in.');
  const needOne = 'Vul de dag van aanmelding in, of de dag van het eerste gesprek.';
  expect(await describedBy(page, 'Aangemeld op')).toContain(needOne);
  const summary = page.locator('.km-form-summary');
  await expect(summary).toContainText('Verbeter 2 punten:');
  await expect(summary.getByRole('link')).toHaveText(['Vul cliëntnummer in.', needOne]);
  await expectAccessible(page);
  await screenshot(page, 'form-new-client-errors');

  // Too long: the counter says by how much, the text stays as typed (no maxlength cut).
  const long = `NO-${'9'.repeat(97)}`;
  await ref.fill(long);
  await expect(ref).toHaveValue(long);
  await expect(page.getByText('36 tekens te veel (hooguit 64)')).toBeVisible();
  await date.fill('1999-12-31');
  await page.getByRole('button', { name: 'Cliënt aanmaken' }).click();
  await expect
    .poll(() => describedBy(page, 'Cliëntnummer'))
    .toContain('Cliëntnummer is te lang: maak het 36 tekens korter (hooguit 64).');
  await expect
    .poll(() => describedBy(page, 'Datum eerste contact'))
    .toContain('Kies een dag vanaf 1-1-2000 tot en met vandaag.');
  await expect(ref).toBeFocused();
  await expect(page).toHaveURL(/\/clienten\/nieuw$/);

  // A number that exists: the API's 409, said at the number.
  await ref.fill('NO-2025001');
  await date.fill('2025-03-01');
  await page.getByRole('button', { name: 'Cliënt aanmaken' }).click();
  await expect(ref).toBeFocused();
  expect(await describedBy(page, 'Cliëntnummer')).toContain('Dit cliëntnummer bestaat al');
  await expect(date).not.toHaveAttribute('aria-invalid', 'true');
});

test('invite a colleague: the wrong field is named (no password sentence), focus there', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, 'org_admin');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Gebruikers' }).click();
  const email = page.getByLabel('E-mailadres', { exact: true });
  const name = page.getByLabel('Naam', { exact: true });
  await page.getByRole('button', { name: 'Uitnodigen' }).click();
  await expect(email).toBeFocused();
  expect(await describedBy(page, 'E-mailadres')).toBe('Vul het e-mailadres van je collega in.');
  const inviteForm = page.locator('form', { has: email });
  await expect(inviteForm.getByTestId('field-error')).toHaveCount(1);
  await expect(inviteForm.getByTestId('field-error')).not.toContainText('wachtwoord');

  await email.fill(`lang-${Date.now()}@noordoost.demo.klantmonitor.nl`);
  await name.fill('A'.repeat(300));
  await expect(name).toHaveValue('A'.repeat(300));
  await page.getByRole('button', { name: 'Uitnodigen' }).click();
  await expect(name).toBeFocused();
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  expect(await describedBy(page, 'Naam')).toContain('Naam is te lang: maak het 180 tekens korter (hooguit 120).');
  await expect(email).not.toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);
  await screenshot(page, 'form-invite-errors');
});

test('platform admin: the municipality picker by keyboard, chips to remove, a long name refused at its field', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, 'platform_admin');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Organisaties' }).click();
  const form = page.getByTestId('organisation-form');
  const box = form.getByRole('combobox', { name: 'Gemeenten' });
  const count = form.getByTestId('picker-count');
  await expect(count).toHaveText('0 gemeenten gekozen');

  // Type, arrow down to the second suggestion, Enter: chosen; the box is empty again.
  await box.fill('zwol');
  await expect(form.getByRole('option')).toHaveText(['Zwolle (GM0193)']);
  await box.press('Enter');
  await expect(count).toHaveText('1 gemeente gekozen');
  await expect(box).toHaveValue('');
  await expect(box).toBeFocused();
  await box.fill('leid');
  const options = form.getByRole('option');
  await expect(options.first()).toContainText('Leiden');
  await box.press('ArrowDown');
  await expect(box).toHaveAttribute('aria-activedescendant', /opt-GM\d{4}$/);
  const second = (await options.nth(1).textContent())?.trim() ?? '';
  await box.press('Enter');
  await expect(count).toHaveText('2 gemeenten gekozen');
  const chips = form.locator('.km-chip');
  await expect(chips).toHaveCount(2);
  await expect(chips).toContainText([second.replace(/ \(GM\d{4}\)$/, ''), 'Zwolle']);
  // A chip goes by its own button, named after the municipality.
  await form.getByRole('button', { name: 'Zwolle weghalen' }).click();
  await expect(count).toHaveText('1 gemeente gekozen');
  await expect(box).toBeFocused();
  await expectAccessible(page);
  await screenshot(page, 'form-organisation-picker');

  // A name of 300 characters: refused at the field, kept as typed.
  const name = form.getByLabel('Naam', { exact: true });
  await name.fill('K'.repeat(300));
  await form.getByRole('button', { name: 'Organisatie aanmaken' }).click();
  await expect(name).toBeFocused();
  expect(await describedBy(page, 'Naam')).toContain('Naam is te lang: maak het 100 tekens korter (hooguit 200).');
  await expect(name).toHaveValue('K'.repeat(300));
  // No municipality: said at the picker.
  await name.fill(`Kredietbank Picker ${Date.now()}`);
  await form.locator('.km-chip button').click();
  await form.getByRole('button', { name: 'Organisatie aanmaken' }).click();
  await expect(box).toBeFocused();
  await expect(form.getByText('Kies minstens één gemeente uit de lijst.')).toBeVisible();
  await expect(box).toHaveAttribute('aria-invalid', 'true');
});
