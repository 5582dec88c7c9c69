import { expect, test } from './support/test';
import { expectAccessible, screenshot, signIn } from './support/helpers';

const HEADER =
  'client_ref;municipality;first_contact;goal_known;approach_set;iu_in_view;iu_in_balance;settlement_ready;dropout_date;dropout_reason';
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

test('an organisation admin imports a file with errors, then a clean one', async ({ page }) => {
  const tag = Date.now().toString(36).toUpperCase();
  await signIn(page, 'org_admin');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Importeren' }).click();
  await expect(page.getByRole('heading', { name: 'Importeren' })).toBeVisible();
  await expect(page.getByTestId('import-columns')).toContainText('eerste_contact');
  await expectAccessible(page);

  const bad = [
    HEADER,
    `IMP-${tag}-1;GM0080;${day(-40)};;;;;;;`, // Leeuwarden: served, fine
    `IMP-${tag}-2;GM0344;${day(-40)};;;;;;;`,
    `IMP-${tag}-3;GM0200;31-02-2025;;;;;;;`,
    `IMP-${tag}-4;GM0193;${day(-40)};${day(-50)};;;;;;`,
    `IMP-${tag}-5;GM0193;${day(-40)};;;;;;;moved`,
  ].join('\n');
  await page
    .getByLabel('Bestand')
    .setInputFiles({ name: 'export-met-fouten.csv', mimeType: 'text/csv', buffer: Buffer.from(bad, 'utf8') });
  await page.getByRole('button', { name: 'Controleren' }).click();
  await expect(page.getByTestId('import-result')).toHaveText('4 problemen in 5 regels. Er is niets geïmporteerd.');
  const errors = page.getByTestId('import-errors').locator('tbody tr');
  await expect(errors).toHaveCount(4);
  await expect(errors.nth(0)).toContainText('3');
  await expect(errors.nth(0)).toContainText('GM0344 is onbekend of jullie helpen daar geen inwoners.');
  await expect(errors.nth(3)).toContainText('Er staat een reden van uitval, maar geen datum.');
  await expectAccessible(page);
  await screenshot(page, 'import-errors');

  const good = [
    HEADER,
    `IMP-${tag}-1;GM0080;${day(-40)};${day(-30)};;;;;;`,
    `IMP-${tag}-2;GM0193;${day(-20)};;;;;;${day(-5)};no_show`,
  ].join('\n');
  await page
    .getByLabel('Bestand')
    .setInputFiles({ name: 'export.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${good}`, 'utf8') });
  await page.getByRole('button', { name: 'Controleren' }).click();
  await expect(page.getByTestId('import-result')).toHaveText(
    'Alles in orde: 2 regels kunnen worden geïmporteerd. Er is nog niets opgeslagen.',
  );
  await page.getByRole('button', { name: 'Importeren', exact: true }).click();
  await expect(page.getByTestId('import-result')).toHaveText('Klaar: 2 regels geïmporteerd (2 nieuw, 0 bijgewerkt).');
  await screenshot(page, 'import-done');

  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Cliënten' }).click();
  await page.getByLabel('Zoek op cliëntnummer').fill(`IMP-${tag}`);
  await expect(page.getByTestId('caseload-total')).toHaveText('2 cliënten');
});

test("a file the server refuses is explained in Dutch, next to the form, never in the API's English", async ({
  page,
}) => {
  await signIn(page, 'org_admin');
  await page.goto('/beheer/import');
  await expect(page.getByRole('heading', { name: 'Importeren' })).toBeVisible();
  // 101 cells in a row: over the column limit (413, limit "columns", max 100).
  const wide = `${HEADER}\n${Array.from({ length: 101 }, (_, i) => `c${i}`).join(';')}\n`;
  await page
    .getByLabel('Bestand')
    .setInputFiles({ name: 'breed.csv', mimeType: 'text/csv', buffer: Buffer.from(wide, 'utf8') });
  await page.getByRole('button', { name: 'Controleren' }).click();
  await expect(page.getByTestId('import-failure')).toHaveText(
    'Een regel heeft meer dan 100 cellen. Er is niets geïmporteerd. Haal lege of overbodige kolommen weg.',
  );
  await expectAccessible(page);
  await screenshot(page, 'import-limit');

  await page
    .getByLabel('Bestand')
    .setInputFiles({ name: 'alleen-kopjes.csv', mimeType: 'text/csv', buffer: Buffer.from(`${HEADER}\n`, 'utf8') });
  await page.getByRole('button', { name: 'Controleren' }).click();
  await expect(page.getByTestId('import-failure')).toHaveText(
    'Het bestand heeft alleen kopjes en geen regels met gegevens.',
  );
});

test('an organisation admin imports intake answers for client groups', async ({ page }) => {
  const tag = Date.now().toString(36).toUpperCase();
  await signIn(page, 'org_admin');
  await page.goto('/beheer/import');
  // A client to answer for, first.
  await page.getByLabel('Bestand').setInputFiles({
    name: 'trajecten.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`${HEADER}\nINT-${tag};GM0080;${day(-30)};;;;;;;`, 'utf8'),
  });
  await page.getByRole('button', { name: 'Importeren', exact: true }).click();
  await expect(page.getByTestId('import-result')).toHaveText('Klaar: 1 regel geïmporteerd (1 nieuw, 0 bijgewerkt).');

  await page.getByLabel('Antwoorden op de intakevragenlijst (voor klantgroepen)').check();
  await expect(page.getByTestId('import-columns')).toContainText('beantwoord_op, privacy_alleen_nodig');
  const answers = `client_ref;answered_on;privacy_veilig;slow_persoon;zelf_oplossen\nINT-${tag};${day(-29)};5;4;\nINT-${tag};${day(-29)};1;1;1`;
  await page
    .getByLabel('Bestand')
    .setInputFiles({ name: 'intake.csv', mimeType: 'text/csv', buffer: Buffer.from(answers, 'utf8') });
  await page.getByRole('button', { name: 'Controleren' }).click();
  // The check already finds the same client and day twice.
  await expect(page.getByTestId('import-errors').locator('tbody tr')).toHaveText([
    /3.*answered_on.*twee keer antwoorden in dit bestand/,
  ]);
  await page.getByLabel('Bestand').setInputFiles({
    name: 'intake.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(answers.split('\n').slice(0, 2).join('\n'), 'utf8'),
  });
  await page.getByRole('button', { name: 'Controleren' }).click();
  await expect(page.getByTestId('import-result')).toHaveText(
    'Alles in orde: 1 regel kan worden geïmporteerd. Er is nog niets opgeslagen.',
  );
  await page.getByRole('button', { name: 'Importeren', exact: true }).click();
  await expect(page.getByTestId('import-result')).toHaveText('Klaar: 1 regel geïmporteerd (1 nieuw, 0 bijgewerkt).');
  await expectAccessible(page);
  await screenshot(page, 'import-intake');
});

test('the import page gives a file to fill in and the codes, reads an exact municipality name as its code and says so', async ({
  page,
}) => {
  await signIn(page, 'org_admin');
  await page.goto('/beheer/import');
  // The example file: the columns of this kind and a row that passes the check as it is.
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-template-xlsx').click()]);
  expect(xlsx.suggestedFilename()).toBe('klantmonitor-voorbeeld-trajectories.xlsx');
  // An XLSX file is a zip archive: it starts with "PK".
  expect(
    (await import('node:fs'))
      .readFileSync((await xlsx.path()) as string)
      .subarray(0, 2)
      .toString('latin1'),
  ).toBe('PK');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-template').click()]);
  const template = (await import('node:fs')).readFileSync((await download.path()) as string, 'utf8');
  expect(template.startsWith('\uFEFFcliëntnummer;gemeente;aangemeld_op;crisis;eerste_contact;')).toBe(true);
  await page
    .getByLabel('Bestand')
    .setInputFiles({ name: 'voorbeeld.csv', mimeType: 'text/csv', buffer: Buffer.from(template, 'utf8') });
  await page.getByRole('button', { name: 'Controleren' }).click();
  await expect(page.getByTestId('import-result')).toHaveText(
    'Alles in orde: 1 regel kan worden geïmporteerd. Er is nog niets opgeslagen.',
  );

  // The codes: the organisation's municipalities with their CBS codes, dropout reasons in words.
  await page.getByText('Welke codes kun je gebruiken?').click();
  await expect(page.getByTestId('import-codes').getByRole('row', { name: /GM0193 Zwolle/ })).toBeVisible();
  await expect(page.getByTestId('import-codes').getByRole('row', { name: /no_show Niet meer gekomen/ })).toBeVisible();
  await expect(
    page.getByTestId('import-codes').getByRole('row', { name: /eviction Dreigende huisuitzetting/ }),
  ).toBeVisible();
  await expectAccessible(page);

  // "Zwolle" instead of GM0193: the exact name of a served municipality is read as its code, and
  // the page says so; "Zwol" is one problem in one row, in words.
  await page.getByLabel('Bestand').setInputFiles({
    name: 'naam.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`${HEADER}\nNAAM-1;Zwolle;${day(-10)};;;;;;;\n`, 'utf8'),
  });
  await page.getByRole('button', { name: 'Controleren' }).click();
  await expect(page.getByTestId('import-result')).toHaveText(
    'Alles in orde: 1 regel kan worden geïmporteerd. Er is nog niets opgeslagen.',
  );
  await expect(page.getByTestId('import-names')).toHaveText(
    'In 1 regel stond de naam van de gemeente in plaats van de CBS-code. Die naam is duidelijk, dus we gebruiken de CBS-code die erbij hoort.',
  );
  await page.getByLabel('Bestand').setInputFiles({
    name: 'naam.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`${HEADER}\nNAAM-1;Zwol;${day(-10)};;;;;;;\n`, 'utf8'),
  });
  await page.getByRole('button', { name: 'Controleren' }).click();
  await expect(page.getByTestId('import-result')).toHaveText('1 probleem in 1 regel. Er is niets geïmporteerd.');
  await expect(page.getByTestId('import-errors')).toContainText(
    '"Zwol" is geen CBS-code zoals GM0344, en ook niet precies de naam van een gemeente die jullie helpen.',
  );
});
