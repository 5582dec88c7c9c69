import { expect, onConfirm, test } from './support/test';
import { expectAccessible, screenshot, signIn } from './support/helpers';

test.describe('counselor workflow', () => {
  test('the caseload shows the demo clients with steps, filters and results', async ({ page }) => {
    await signIn(page, 'counselor');
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Cliënten' }).click();
    // 150 trajectories and 8 requests waiting for their first meeting (#26).
    await expect(page.getByTestId('caseload-total')).toHaveText('158 cliënten');
    await expect(page.getByTestId('caseload').locator('tbody tr')).toHaveCount(50);
    // The list comes first; the figures are folded under their toggle, and it is remembered (#25).
    const toggle = page.getByTestId('figures-toggle');
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(page.getByTestId('results-mine')).toHaveCount(0);
    await expect(page.getByTestId('caseload')).toBeInViewport();
    await toggle.click();
    await expect(page.getByTestId('results-mine')).toContainText('Lopende trajecten');
    await expect(page.getByTestId('results-team')).toContainText('Mediaan dagen');
    await page.reload();
    await expect(page.getByTestId('figures-toggle')).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByTestId('results-mine')).toContainText('Lopende trajecten');
    await expectAccessible(page);
    await screenshot(page, 'caseload');
    await page.getByTestId('figures-toggle').click();
    await expect(page.getByTestId('results-mine')).toHaveCount(0);

    // Paging by cursor: 158 clients are 4 pages of 50; forwards to the last page and back again.
    const pager = page.getByRole('navigation', { name: 'Paginering' });
    const firstRow = page.getByTestId('caseload').locator('tbody tr').first();
    const onPage1 = await firstRow.textContent();
    await expect(pager).toContainText('Pagina 1 van 4');
    await pager.getByRole('button', { name: 'Volgende' }).click();
    await expect(pager).toContainText('Pagina 2 van 4');
    await expect(firstRow).not.toHaveText(onPage1 ?? '');
    await pager.getByRole('button', { name: 'Volgende' }).click();
    await expect(pager).toContainText('Pagina 3 van 4');
    await pager.getByRole('button', { name: 'Volgende' }).click();
    await expect(pager).toContainText('Pagina 4 van 4');
    await expect(pager.getByRole('button', { name: 'Volgende' })).toBeDisabled();
    await pager.getByRole('button', { name: 'Vorige' }).click();
    await expect(pager).toContainText('Pagina 3 van 4');
    await pager.getByRole('button', { name: 'Vorige' }).click();
    await expect(pager).toContainText('Pagina 2 van 4');
    await pager.getByRole('button', { name: 'Vorige' }).click();
    await expect(pager).toContainText('Pagina 1 van 4');
    await expect(firstRow).toHaveText(onPage1 ?? '');
    await expect(page.getByTestId('caseload-total')).toHaveText('158 cliënten');

    await page.getByLabel('Alleen vastgelopen').check();
    await expect(page.getByTestId('caseload-total')).not.toHaveText('158 cliënten');
    const stalledRows = page.getByTestId('caseload').locator('tbody tr');
    await expect(stalledRows.first()).toContainText('Vastgelopen');
    await page.getByLabel('Alleen vastgelopen').uncheck();

    await page.getByLabel('Verste stap').selectOption('settlement_ready');
    await expect(page.getByTestId('caseload').locator('tbody tr').first().locator('td.step-col').last()).toContainText(
      '✓',
    );
    await expect(page.getByRole('button', { name: 'Vorige' })).toBeDisabled();
  });

  test('filters, sort and page live in the URL: back, reload and a shared link keep them (#25)', async ({
    page,
    browser,
  }) => {
    await signIn(page, 'counselor');
    await page.goto('/clienten');
    // 150 trajectories and 8 requests waiting for their first meeting (#26).
    await expect(page.getByTestId('caseload-total')).toHaveText('158 cliënten');
    await page.getByLabel('Zoek op cliëntnummer').fill('NO-2025');
    await page.getByLabel('Status').selectOption('open');
    await page
      .getByRole('button', { name: /Cliënt/ })
      .first()
      .click(); // sort on the client number
    await expect(page).toHaveURL(/q=NO-2025/);
    await expect(page).toHaveURL(/status=open/);
    await expect(page).toHaveURL(/sort=clientRef%3Aasc|sort=clientRef:asc/);
    // The list follows the URL (the open ones, lowest number first) before we read it.
    await expect(page.getByTestId('caseload-total')).not.toHaveText('158 cliënten');
    const rows = page.getByTestId('caseload').locator('tbody tr');
    await expect
      .poll(async () => {
        const refs = await rows.locator('th a').allTextContents();
        return refs.length > 1 && refs.join() === [...refs].sort().join();
      })
      .toBe(true);
    const total = await page.getByTestId('caseload-total').textContent();
    const first = await rows.first().locator('th a').textContent();

    // Open a client and go back: the same list.
    await rows.first().locator('th a').click();
    await expect(page).toHaveURL(/\/clienten\/[0-9a-f-]{36}$/);
    await page.goBack();
    await expect(page.getByLabel('Zoek op cliëntnummer')).toHaveValue('NO-2025');
    await expect(page.getByLabel('Status')).toHaveValue('open');
    await expect(page.getByTestId('caseload-total')).toHaveText(total ?? '');
    await expect(rows.first().locator('th a')).toHaveText(first ?? '');

    // Reload, and the link in another tab: the same.
    await page.reload();
    await expect(page.getByLabel('Zoek op cliëntnummer')).toHaveValue('NO-2025');
    await expect(page.getByLabel('Status')).toHaveValue('open');
    await expect(page.getByTestId('caseload-total')).toHaveText(total ?? '');
    // A colleague signed in elsewhere opens the same link.
    const other = await browser.newPage();
    await signIn(other, 'counselor');
    await other.goto(page.url());
    await expect(other.getByLabel('Status')).toHaveValue('open');
    await expect(other.getByTestId('caseload').locator('tbody tr').first().locator('th a')).toHaveText(first ?? '');
    await other.close();

    // A search longer than the box takes is said under it; nothing is cut, the list stays.
    await page.getByLabel('Zoek op cliëntnummer').fill('N'.repeat(70));
    await expect(page.getByText('Zoek op cliëntnummer is te lang: hooguit 64 tekens.')).toBeVisible();
    await expect(page.getByLabel('Zoek op cliëntnummer')).toHaveValue('N'.repeat(70));
    await expect(page).toHaveURL(/q=NO-2025/);
    await expectAccessible(page);
  });

  test('a counselor registers a client, marks a step, records support and a dropout', async ({ page }) => {
    const ref = `E2E-${Date.now()}`;
    await signIn(page, 'counselor');
    await page.goto('/clienten');
    await page.getByRole('link', { name: 'Nieuwe cliënt' }).click();
    await page.getByLabel('Cliëntnummer').fill(ref);
    await page.getByLabel('Gemeente').selectOption({ label: 'Zwolle' });
    await page.getByLabel('Huishouden').selectOption('single_parent');
    await page.getByRole('button', { name: 'Cliënt aanmaken' }).click();
    await expect(page.getByRole('heading', { name: `Cliënt ${ref}` })).toBeVisible();
    await expect(page.getByTestId('client-status')).toHaveText('Loopt');
    // Calendar dates show as the same day in the Netherlands (the form's default is today there).
    const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date()).split('-');
    await expect(page.getByText(`In traject sinds ${Number(d)}-${Number(m)}-${y}`)).toBeVisible();

    // Mark "income and expenses in view" (date defaults to today); the earlier steps follow.
    await page.getByLabel('Stap', { exact: true }).selectOption('iu_in_view');
    await page.locator('#mark-title').locator('..').getByRole('button', { name: 'Opslaan' }).click();
    await expect(page.getByTestId('client-notice')).toHaveText('Opgeslagen.');
    const steps = page.getByTestId('steps');
    await expect(steps.locator('li.done')).toHaveCount(4);
    await expect(steps).toContainText('afgeleid van een latere stap');
    // "Stap zetten" now proposes the next open step.
    await expect(page.getByLabel('Stap', { exact: true })).toHaveValue('iu_in_balance');

    await page.getByLabel('Soort hulp').selectOption('administrative');
    await page.getByLabel('Minuten').fill('45');
    await page.getByLabel('Hoe').selectOption('home_visit');
    await page.locator('#support-title').locator('..').getByRole('button', { name: 'Opslaan' }).click();
    await expect(page.getByTestId('timeline')).toContainText('Hulp bij administratie, 45 minuten (Huisbezoek)');

    await page.getByLabel('Dienst starten').selectOption('protection');
    await page.locator('#services-title').locator('..').getByRole('button', { name: 'Opslaan' }).click();
    await expect(page.getByTestId('services')).toContainText('Beschermingsbewind');
    await expect(page.getByTestId('services')).toContainText('loopt nog');
    // Ended on a chosen date, after a question.
    const started = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
    await page.getByLabel('Einddatum van Beschermingsbewind').fill(started);
    const endAsked = onConfirm(page, true);
    await page.getByRole('button', { name: 'Beëindigen' }).click();
    await expect(page.getByTestId('services')).not.toContainText('loopt nog');
    expect(await endAsked).toMatch(/^Beschermingsbewind beëindigen op \d+-\d+-\d{4}\?$/);

    // A support entry with absurd minutes is refused with a message that names the field.
    await page.getByLabel('Minuten').fill('2000');
    await page.locator('#support-title').locator('..').getByRole('button', { name: 'Opslaan' }).click();
    // ... in Dutch, under the field itself, which gets focus (#25).
    await expect(page.locator('#support-title').locator('..').getByTestId('field-error')).toHaveText(
      'Vul bij Minuten een aantal van 1 tot en met 1440 in.',
    );
    await expect(page.getByLabel('Minuten')).toBeFocused();
    await page.getByLabel('Minuten').fill('45');

    await expectAccessible(page);
    // No reason is chosen beforehand; recording dropout asks first.
    const dropoutCard = page.locator('#dropout-title').locator('..');
    await expect(dropoutCard.getByLabel('Reden')).toHaveValue('');
    await page.getByRole('button', { name: 'Uitval vastleggen' }).click();
    await expect(page.locator('#dropout-title').locator('..').getByTestId('field-error')).toHaveText(
      'Kies eerst een reden voor de uitval.',
    );
    await expect(dropoutCard.getByLabel('Reden')).toBeFocused();
    await dropoutCard.getByLabel('Reden').selectOption('lost_motivation');
    const asked = onConfirm(page, true);
    await page.getByRole('button', { name: 'Uitval vastleggen' }).click();
    await expect(page.getByTestId('client-status')).toHaveText('Uitgevallen');
    expect(await asked).toContain('Geen motivatie meer');
    await expect(page.getByTestId('timeline')).toContainText('Uitgevallen: Geen motivatie meer');
    await expect(page.getByText('Dit traject is beëindigd')).toBeVisible();
    await expectAccessible(page);
    await screenshot(page, 'client-after-dropout');

    await page.getByRole('link', { name: 'Terug naar cliënten' }).click();
    await page.getByLabel('Zoek op cliëntnummer').fill(ref);
    await expect(page.getByTestId('caseload-total')).toHaveText('1 cliënt');
    await expect(page.getByTestId('caseload').locator('tbody tr')).toContainText('Uitgevallen');
  });

  test('a counselor closes a trajectory after a question, sees why it is closed, and reopens it', async ({ page }) => {
    const ref = `SLUIT-${Date.now()}`;
    await signIn(page, 'counselor');
    await page.goto('/clienten/nieuw');
    await page.getByLabel('Cliëntnummer').fill(ref);
    await page.getByLabel('Gemeente').selectOption({ label: 'Zwolle' });
    await page.getByRole('button', { name: 'Cliënt aanmaken' }).click();
    await expect(page.getByRole('heading', { name: `Cliënt ${ref}` })).toBeVisible();
    const closeCard = page.locator('#close-title').locator('..');
    await closeCard.getByRole('button', { name: 'Afsluiten' }).click();
    await expect(closeCard.getByTestId('field-error')).toHaveText('Kies eerst een reden voor het afsluiten.');
    await expect(closeCard.getByLabel('Reden')).toBeFocused();
    await closeCard.getByLabel('Reden').selectOption('referred');
    const asked = onConfirm(page, true);
    await closeCard.getByRole('button', { name: 'Afsluiten' }).click();
    // The dialog's button says what happens.
    await expect(page.getByRole('alertdialog')).toHaveCount(0);
    await expect(page.getByTestId('client-status')).toHaveText('Afgesloten');
    expect(await asked).toContain('Doorverwezen naar een andere organisatie');
    await expect(page.getByTestId('client-closed')).toContainText('(Doorverwezen naar een andere organisatie)');
    await expectAccessible(page);
    const reopenAsked = onConfirm(page, true);
    await page.getByRole('button', { name: 'Heropenen' }).click();
    await reopenAsked;
    await expect(page.getByTestId('client-status')).toHaveText('Loopt');
    await expect(page.locator('#close-title')).toBeVisible();
  });

  test('a policy advisor never sees individual clients', async ({ page }) => {
    await signIn(page, 'policy_advisor');
    await expect(
      page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Cliënten' }),
    ).toHaveCount(0);
    await page.goto('/clienten');
    await expect(page.getByRole('heading', { name: 'Geen toegang' })).toBeVisible();
  });
});
