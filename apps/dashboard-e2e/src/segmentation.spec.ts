import { expect, test } from '@playwright/test';
import { DEFAULT_INTAKE_ITEM_CODES } from '@klantmonitor/shared/domain';
import {
  ACCOUNTS,
  expectAccessible,
  screenshot,
  signIn,
} from './support/helpers';

const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Three groups whose answers are identical within a group: the analysis must find them. */
const GROUPS: [string, number, number[]][] = [
  ['A', 12, [5, 5, 1, 1]],
  ['B', 10, [1, 1, 5, 5]],
  ['C', 8, [3, 5, 5, 1]],
];

test('an organisation admin finds client groups, reads their profile, names and uses them', async ({
  page,
  request,
}) => {
  const tag = Date.now().toString(36).toUpperCase();
  const login = await (
    await request.post('/api/v1/auth/login', {
      data: {
        email: ACCOUNTS.org_admin.email,
        password: ACCOUNTS.org_admin.password,
      },
    })
  ).json();
  const auth = { authorization: `Bearer ${login.accessToken}` };
  const upload = async (path: string, text: string) =>
    (
      await request.post(path, {
        headers: auth,
        multipart: {
          file: {
            name: 'f.csv',
            mimeType: 'text/csv',
            buffer: Buffer.from(text, 'utf8'),
          },
        },
      })
    ).status();
  const trajectories = [
    'client_ref;municipality;first_contact;goal_known;approach_set;iu_in_view;iu_in_balance;settlement_ready;dropout_date;dropout_reason',
  ];
  // Every statement answered (the analysis uses all of them): the group's four values in turn.
  const answers = [
    `client_ref;answered_on;${DEFAULT_INTAKE_ITEM_CODES.join(';')}`,
  ];
  for (const [g, n, values] of GROUPS)
    for (let i = 0; i < n; i++) {
      trajectories.push(`SEG-${tag}-${g}${i};GM0080;${day(-60)};;;;;;;`);
      answers.push(
        `SEG-${tag}-${g}${i};${day(-59)};${DEFAULT_INTAKE_ITEM_CODES.map((_, j) => values[j % 4]).join(';')}`,
      );
    }
  expect(
    await upload('/api/v1/imports/trajectories', trajectories.join('\n')),
  ).toBe(200);
  expect(
    await upload('/api/v1/imports/intake-answers', answers.join('\n')),
  ).toBe(200);

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
    'Advies: 3 groepen. Daarbij liggen de groepen het duidelijkst uit elkaar (hoogste silhouet).',
    { timeout: 30_000 },
  );
  await expect(page.getByTestId('seg-n')).toContainText(
    '30 cliënten in de analyse',
  );
  // The scenario chart has a table view, in Dutch numbers.
  await page.getByTestId('seg-silhouette-toggle').click();
  await expect(
    page.getByTestId('seg-silhouette-table').locator('tbody tr'),
  ).toHaveCount(3);
  await expect(
    page.getByTestId('seg-silhouette-table').locator('tbody tr').nth(1),
  ).toContainText('12 / 10 / 8');

  // Profile: group 1 (the 12) agrees with "veilig" (5,00 ▲), group 2 not (1,00 ▼).
  const profile = page.getByTestId('seg-profile-table');
  await expect(profile.locator('thead')).toContainText('Groep 1 (40,0%)');
  const veilig = profile.getByRole('row', { name: /gegevens veilig blijven/ });
  await expect(veilig.locator('td').nth(0)).toHaveText(/5,00\s*▲/);
  await expect(veilig.locator('td').nth(1)).toHaveText(/1,00\s*▼/);
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
