import { expect, test } from './support/test';
import { Queue, QueueEvents } from 'bullmq';
import { ACCOUNTS, expectAccessible, screenshot } from './support/helpers';

const day = (offset: number) => {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' })
    .format(new Date())
    .split('-')
    .map(Number);
  return new Date(Date.UTC(y, m - 1, d + offset)).toISOString().slice(0, 10);
};

test('after the retention period the client page says the contact details were erased, and when', async ({
  page,
  request,
}) => {
  const login = await (
    await request.post('/api/v1/auth/login', {
      data: { email: ACCOUNTS.counselor.email, password: ACCOUNTS.counselor.password },
    })
  ).json();
  const auth = { authorization: `Bearer ${login.accessToken}` };
  const me = await (await request.get('/api/v1/me', { headers: auth })).json();
  const ref = `PRIV-${Date.now()}`;
  const created = await (
    await request.post('/api/v1/clients', {
      headers: auth,
      data: {
        clientRef: ref,
        municipality: me.organisation.municipalities[0].code,
        firstContact: day(-10),
        email: 'klant@example.nl',
      },
    })
  ).json();
  expect(
    (
      await request.post(`/api/v1/trajectories/${created.trajectoryId}/dropout`, {
        headers: auth,
        data: { date: day(-1), reason: 'moved' },
      })
    ).status(),
  ).toBe(200);

  // The nightly job, run now as if 90 days had passed since the dropout.
  const connection = { url: process.env['KM_DASHBOARD_REDIS_URL'] as string };
  const queue = new Queue('caseload', { connection });
  const events = new QueueEvents('caseload', { connection });
  try {
    await events.waitUntilReady();
    const job = await queue.add('erase-contacts', { organisationId: me.organisation.id, today: day(89) });
    // Ours, and the demo's older dropouts (months ago, so also past the period as of then).
    expect((await job.waitUntilFinished(events, 20_000)).erased).toBeGreaterThanOrEqual(1);
  } finally {
    await events.close();
    await queue.close();
  }

  await page.goto('/inloggen');
  await page.getByLabel('E-mailadres').fill(ACCOUNTS.counselor.email);
  await page.getByLabel('Wachtwoord').fill(ACCOUNTS.counselor.password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL('**/start');
  await page.goto(`/clienten/${created.id}`);
  await expect(page.getByRole('heading', { name: `Cliënt ${ref}` })).toBeVisible();
  const [y, m, d] = day(0).split('-').map(Number);
  await expect(page.getByTestId('contact-erased')).toHaveText(
    `Contactgegevens gewist op ${d}-${m}-${y}: de bewaartermijn na het einde van het traject is voorbij.`,
  );
  await expect(page.getByText('klant@example.nl')).toHaveCount(0);
  await expectAccessible(page);
  await screenshot(page, 'client-contact-erased');
});

test('an organisation admin chooses from how many clients figures are shown', async ({ page }) => {
  await page.goto('/inloggen');
  await page.getByLabel('E-mailadres').fill(ACCOUNTS.org_admin.email);
  await page.getByLabel('Wachtwoord').fill(ACCOUNTS.org_admin.password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL('**/start');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Kleine aantallen' }).click();
  await expect(page.getByRole('heading', { name: 'Kleine aantallen afschermen' })).toBeVisible();
  const field = page.getByLabel('Laat cijfers zien vanaf dit aantal cliënten');
  await expect(field).toHaveValue('10');
  await field.fill('4');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(page.getByRole('alert')).toHaveText('Kies een heel getal van 5 tot en met 1000.');
  await field.fill('7');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(page.getByRole('status')).toHaveText(
    'Opgeslagen. Cijfers over minder dan 7 cliënten worden afgeschermd.',
  );
  await expectAccessible(page);
  await screenshot(page, 'analytics-settings');
  await page.reload();
  await expect(field).toHaveValue('7');
  // Back to the default for the other tests.
  await field.fill('10');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(page.getByRole('status')).toContainText('minder dan 10');
});

test('the small-cell field waits for the saved value: nothing typed early is overwritten when it arrives late', async ({
  page,
}) => {
  await page.goto('/inloggen');
  await page.getByLabel('E-mailadres').fill(ACCOUNTS.org_admin.email);
  await page.getByLabel('Wachtwoord').fill(ACCOUNTS.org_admin.password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL('**/start');
  // The saved value arrives 1.5 s late (a slow network).
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/api/v1/analytics/settings', async (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    await held;
    await route.continue();
  });
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Kleine aantallen' }).click();
  const field = page.getByLabel('Laat cijfers zien vanaf dit aantal cliënten');
  // Before the answer: no made-up number, and nothing to type into.
  await expect(field).toBeDisabled();
  await expect(field).toHaveValue('');
  release();
  await expect(field).toBeEnabled();
  await expect(field).toHaveValue('10');
  await field.fill('12');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(page.getByRole('status')).toHaveText(
    'Opgeslagen. Cijfers over minder dan 12 cliënten worden afgeschermd.',
  );
  await field.fill('10');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(page.getByRole('status')).toContainText('minder dan 10');
});
