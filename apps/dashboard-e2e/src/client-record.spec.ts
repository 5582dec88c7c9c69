import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, onConfirm, test } from './support/test';
import { expectAccessible, screenshot, signIn } from './support/helpers';

/** Today in the Netherlands as the forms want it (yyyy-mm-dd), and n days before. */
const day = (n = 0) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date(Date.now() - n * 86_400_000));
const dutch = (iso: string) => iso.split('-').map(Number).reverse().join('-');

async function newClient(page: Page, ref: string, firstContact: string): Promise<void> {
  await page.goto('/clienten/nieuw');
  await page.getByLabel('Cliëntnummer').fill(ref);
  await page.getByLabel('Gemeente').selectOption({ label: 'Zwolle' });
  await page.getByLabel('Datum eerste contact').fill(firstContact);
  await page.getByRole('button', { name: 'Cliënt aanmaken' }).click();
  await expect(page.getByRole('heading', { name: `Cliënt ${ref}` })).toBeVisible();
}

test.describe('the caseload at work', () => {
  test('fits 1,366 px and is usable at 1,024 px; sorts on the server; filters; downloads the view', async ({
    page,
    request,
  }) => {
    await page.setViewportSize({ width: 1366, height: 900 });
    await signIn(page, 'counselor');
    await page.goto('/clienten');
    const table = page.getByTestId('caseload');
    await expect(table.locator('tbody tr')).toHaveCount(50);
    // Every column inside the viewport, the table inside its box: nothing hidden to the right.
    const fit = await page.evaluate(() => {
      const t = document.querySelector('[data-testid="caseload"]') as HTMLElement;
      const last = t.querySelector('thead th:last-child') as HTMLElement;
      return {
        right: last.getBoundingClientRect().right,
        viewport: window.innerWidth,
        table: t.scrollWidth,
        box: (t.parentElement as HTMLElement).clientWidth,
      };
    });
    expect(fit.right).toBeLessThanOrEqual(fit.viewport);
    expect(fit.table).toBeLessThanOrEqual(fit.box);
    await expect(table.locator('thead')).toContainText('Casehouder');
    await expect(table.locator('thead')).toContainText('Laatste activiteit');
    await expect(table.locator('tbody tr').first()).toContainText('Sanne Hulpverlener');
    await expectAccessible(page);
    await screenshot(page, 'caseload-1366');

    // Sorting by a column header asks the server: the first row is the smallest client number of all 158.
    const token = await page.evaluate(
      () =>
        (
          JSON.parse(sessionStorage.getItem('km.session') ?? '{}') as {
            token?: string;
          }
        ).token,
    );
    expect(token).toBeTruthy();
    const api = (path: string) => request.get(path, { headers: { authorization: `Bearer ${token}` } });
    await page.getByRole('button', { name: 'Cliënt', exact: true }).click();
    await expect(page.getByRole('columnheader', { name: /Cliënt/ }).first()).toHaveAttribute('aria-sort', 'ascending');
    const first = (await (await api('/api/v1/clients?sort=clientRef:asc&pageSize=1')).json()).items[0].clientRef;
    await expect(table.locator('tbody tr').first().locator('th a')).toHaveText(first);
    await page.getByRole('button', { name: 'Cliënt', exact: true }).click();
    await expect(page.getByRole('columnheader', { name: /Cliënt/ }).first()).toHaveAttribute('aria-sort', 'descending');
    await expect(page.getByLabel('Sorteren op')).toHaveValue('clientRef:desc');

    // Filters: a client type, and only clients with an open signal.
    await page.getByLabel('Klanttype').selectOption({ index: 1 });
    const typeName = await page.getByLabel('Klanttype').locator('option:checked').textContent();
    const typeCode = await page.getByLabel('Klanttype').inputValue();
    const typed = (await (await api(`/api/v1/clients?clientType=${typeCode}&pageSize=1`)).json()).total as number;
    await expect(page.getByTestId('caseload-total')).toHaveText(typed === 1 ? '1 cliënt' : `${typed} cliënten`);
    for (const cell of await table.locator('tbody tr td:nth-child(9)').allTextContents())
      expect(cell.trim()).toBe(typeName?.trim());
    await page.getByLabel('Klanttype').selectOption('');
    await page.getByLabel('Alleen met een open signaal').check();
    const signalled = (await (await api('/api/v1/clients?alerts=true&pageSize=1')).json()).total as number;
    expect(signalled).toBeGreaterThan(0);
    await expect(page.getByTestId('caseload-total')).toHaveText(signalled === 1 ? '1 cliënt' : `${signalled} cliënten`);
    const rows = await table.locator('tbody tr').count();
    expect(await table.locator('tbody tr .alert-badge').count()).toBe(rows);

    // The download is the same view: as many lines as the total says, plus the header.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('caseload-csv').click()]);
    const lines = readFileSync((await csv.path()) as string, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const total = Number((await page.getByTestId('caseload-total').textContent())?.replace(/\D/g, ''));
    expect(lines.length - 1).toBe(total);
    expect(lines[0]).toContain('Casehouder');

    // At 1,024 px every column is in view without scrolling, neither the page nor the table (#25).
    await page.setViewportSize({ width: 1024, height: 800 });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth))
      .toBeLessThanOrEqual(0);
    const box = await page.evaluate(() => {
      const t = document.querySelector('[data-testid="caseload"]') as HTMLElement;
      const heads = [...t.querySelectorAll('thead th')].map((th) => th.getBoundingClientRect().right);
      return {
        table: t.scrollWidth,
        box: (t.parentElement as HTMLElement).clientWidth,
        rightmost: Math.max(...heads),
        viewport: window.innerWidth,
        columns: heads.length,
      };
    });
    expect(box.columns).toBe(12);
    expect(box.table).toBeLessThanOrEqual(box.box);
    expect(box.rightmost).toBeLessThanOrEqual(box.viewport);
    await screenshot(page, 'caseload-1024');
  });
});

test.describe('the client record', () => {
  test('a counselor edits details, keeps notes, is told why a date cannot, hands over and withdraws with a note', async ({
    page,
  }) => {
    const ref = `DOSSIER-${Date.now()}`;
    await page.setViewportSize({ width: 1366, height: 900 });
    await signIn(page, 'counselor');
    await newClient(page, ref, day(40));
    await expect(page.getByTestId('client-caseholder')).toHaveText('Sanne Hulpverlener');

    // Details: changed in place; the message appears in that card and gets focus.
    const contact = page.locator('#contact-title').locator('..');
    await contact.getByTestId('edit-details').click();
    await contact.getByLabel('E-mail').fill('geen-adres');
    await contact.getByRole('button', { name: 'Opslaan' }).click();
    // Under the field itself, which gets focus (#25).
    await expect(contact.getByTestId('field-error')).toHaveText(
      'Vul een geldig e-mailadres in, of laat het veld leeg.',
    );
    await expect(contact.getByLabel('E-mail')).toBeFocused();
    await expect(contact.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'true');
    await contact.getByLabel('E-mail').fill('sanne.test@example.nl');
    await contact.getByLabel('Huishouden').selectOption('couple_with_children');
    await contact.getByRole('button', { name: 'Opslaan' }).click();
    await expect(contact.getByTestId('client-notice')).toHaveText('Opgeslagen.');
    await expect(contact.getByTestId('client-notice')).toBeFocused();
    await expect(contact).toContainText('sanne.test@example.nl');
    await expect(contact.getByTestId('intake-fields')).toContainText('Samen, met kinderen');
    await expect(page.getByTestId('timeline')).toContainText('Gegevens gewijzigd: e-mail, huishouden');

    // Steps: a date after a later step is refused before anything is sent, with the reason.
    await page.getByLabel('Stap', { exact: true }).selectOption('approach_set');
    await page.locator('#mark-date').fill(day(20));
    await page.locator('#mark-title').locator('..').getByRole('button', { name: 'Opslaan' }).click();
    await expect(page.locator('#mark-title').locator('..').getByTestId('client-notice')).toHaveText('Opgeslagen.');
    await page.getByLabel('Stap', { exact: true }).selectOption('goal_known');
    await page.locator('#mark-date').fill(day(10));
    await page.locator('#mark-title').locator('..').getByRole('button', { name: 'Opslaan' }).click();
    const refused = page.locator('#mark-title').locator('..').getByTestId('field-error');
    await expect(refused).toHaveText(
      `Deze datum ligt na de stap "Aanpak bepaald" (${dutch(day(20))}). Een stap kan niet later zijn dan een volgende stap. Kies een eerdere datum, of pas eerst "Aanpak bepaald" aan.`,
    );
    // The message stands under the date, which gets focus.
    await expect(page.locator('#mark-date')).toBeFocused();
    await expect(page.locator('#mark-date')).toHaveAttribute('aria-invalid', 'true');
    // Nothing was saved: "Doel bekend" is still the date derived from the later step.
    await expect(page.getByTestId('steps')).toContainText('afgeleid van een latere stap');

    // Support with a note: the timeline says what, the note, who and when.
    const support = page.locator('#support-title').locator('..');
    await support.getByLabel('Minuten').fill('30');
    await support.getByLabel('Notitie (mag leeg blijven)').fill('Brieven van de energieleverancier doorgenomen.');
    await support.getByRole('button', { name: 'Opslaan' }).click();
    await expect(support.getByTestId('client-notice')).toHaveText('Opgeslagen.');
    const entry = page.getByTestId('timeline').locator('li', { hasText: 'Brieven van de energieleverancier' });
    await expect(entry.getByTestId('timeline-by')).toContainText('door Sanne Hulpverlener');
    await expect(entry.getByTestId('timeline-by')).toContainText(dutch(day(0)));

    // Withdraw a step: the question lets you write why; the reason shows in the history.
    await page.getByRole('button', { name: 'Intrekken: Aanpak bepaald' }).click();
    const withdrawDialog = page.getByRole('alertdialog', { name: 'Stap intrekken?' });
    await expect(withdrawDialog).toContainText('De stap "Aanpak bepaald" intrekken?');
    // Focus starts on the safe button; the note field is labelled.
    await expect(withdrawDialog.getByRole('button', { name: 'Annuleren' })).toBeFocused();
    await withdrawDialog
      .getByLabel('Waarom? (niet verplicht, komt in de geschiedenis)')
      .fill('Verkeerde cliënt aangeklikt.');
    await expectAccessible(page);
    await screenshot(page, 'confirm-withdraw-step');
    await withdrawDialog.getByRole('button', { name: 'Stap intrekken' }).click();
    await expect(withdrawDialog).toHaveCount(0);
    await expect(page.getByTestId('timeline')).toContainText('Stap ingetrokken: Aanpak bepaald');
    await expect(page.getByTestId('timeline')).toContainText('Verkeerde cliënt aangeklikt.');
    // Cancel withdraws nothing.
    await page.getByLabel('Stap', { exact: true }).selectOption('goal_known');
    await page.locator('#mark-date').fill(day(15));
    await page.locator('#mark-title').locator('..').getByRole('button', { name: 'Opslaan' }).click();
    await expect(page.locator('#mark-title').locator('..').getByTestId('client-notice')).toHaveText('Opgeslagen.');
    const answered1 = onConfirm(page, false);
    await page.getByRole('button', { name: 'Intrekken: Doel bekend' }).click();
    await answered1;
    await expect(page.getByRole('button', { name: 'Intrekken: Doel bekend' })).toBeVisible();

    await expectAccessible(page);
    await screenshot(page, 'client-record');

    // Hand over to a colleague, after a question; the header says who has the client now.
    await page.getByLabel('Overdragen aan').selectOption({ label: 'Ahmed Collega' });
    const asked = onConfirm(page, true);
    await page.getByRole('button', { name: 'Overdragen', exact: true }).click();
    await expect(page.getByTestId('client-caseholder')).toHaveText('Ahmed Collega');
    expect(await asked).toContain(`${ref} overdragen aan Ahmed Collega?`);
    await expect(page.getByTestId('timeline')).toContainText('Overgedragen aan Ahmed Collega');
  });
});
