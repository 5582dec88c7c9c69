import { expect, test } from './support/test';
import { expectAccessible, screenshot, signIn } from './support/helpers';

test("a counselor starts the day on the worklist: own clients first, the team's on request, each line to the client", async ({
  page,
}) => {
  await signIn(page, 'counselor');
  const worklist = page.getByTestId('worklist');
  await expect(worklist.getByRole('heading', { name: 'Vandaag te doen' })).toBeVisible();
  // The demo has clients that stand still and clients without a step for weeks.
  const stalled = page.getByTestId('worklist-stalled').locator('li');
  await expect(stalled.first()).toContainText(/: niets gebeurd sinds \d+-\d+-\d{4}, nu bij /);
  const quiet = page.getByTestId('worklist-quiet').locator('li');
  await expect(quiet.first()).toContainText(/\d+ dagen geen nieuwe stap/);
  const mine = await quiet.count();
  await expectAccessible(page);
  await screenshot(page, 'worklist');

  // The team's list holds at least as many quiet clients as one's own (up to 50 each).
  await page.getByLabel('Heel het team').check();
  // The team's list says whose client each line is (#25); one's own list does not need to. Waited
  // for first: until the team's list has come, the own list (or none, while it loads) is shown.
  const whose = page.getByTestId('worklist-quiet').getByTestId('worklist-counselor');
  await expect(whose.first()).toHaveText(/^\s*\([^)]+\)\s*$/);
  await expect.poll(() => page.getByTestId('worklist-quiet').locator('li').count()).toBeGreaterThanOrEqual(mine);
  expect(await whose.count()).toBe(await page.getByTestId('worklist-quiet').locator('li').count());

  // A line opens the client it names.
  const first = page.getByTestId('worklist-stalled').locator('li a').first();
  const ref = (await first.textContent())?.trim() as string;
  await first.click();
  await expect(page.getByRole('heading', { name: `Cliënt ${ref}` })).toBeVisible();
});

test('the counselor sees the overdue crisis request first and records the first meeting (#26)', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, 'counselor');
  // The demo's first waiting request: a threatened eviction of two weeks ago, long past its 3 working days.
  const lines = page.getByTestId('worklist-first-meetings').locator('li');
  await expect(page.getByRole('heading', { name: /^Eerste gesprek plannen \(\d+\)$/ })).toBeVisible();
  const first = lines.first();
  await expect(first).toHaveClass(/overdue/);
  await expect(first.getByTestId('worklist-crisis')).toHaveText('Dreigende huisuitzetting');
  await expect(first.getByTestId('worklist-overdue')).toHaveText(
    /^\d+ dagen? over de termijn$|^1 dag over de termijn$/,
  );
  await expect(first).toContainText(/uiterlijk \d{1,2}-\d{1,2}-\d{4}/);
  await expect(first).toContainText(/aangemeld op \d{1,2}-\d{1,2}-\d{4}/);
  // Overdue ones come before those still within their term.
  const classes = await lines.evaluateAll((els) => els.map((e) => e.classList.contains('overdue')));
  expect(classes.indexOf(false) === -1 || classes.lastIndexOf(true) < classes.indexOf(false)).toBe(true);
  await expectAccessible(page);
  await screenshot(page, 'worklist-first-meetings');

  // Open it: the record says it waits, with the crisis and the term; steps wait for the meeting.
  const link = first.getByRole('link');
  const ref = (await link.textContent())?.trim() as string;
  await link.click();
  await expect(page.getByRole('heading', { name: `Cliënt ${ref}` })).toBeVisible();
  await expect(page.getByTestId('client-status')).toHaveText('Wacht op eerste gesprek');
  await expect(page.getByTestId('client-crisis')).toHaveText('Dreigende huisuitzetting');
  const card = page.getByTestId('first-meeting-card');
  await expect(card).toContainText(/uiterlijk op \d{1,2}-\d{1,2}-\d{4}/);
  // The daily check (run by the demo seed too) raised the alert of the term: not handled by a button.
  const alert = page.locator('[data-kind="first_meeting"]');
  await expect(alert).toContainText(/Het eerste gesprek moet uiterlijk op \d{1,2}-\d{1,2}-\d{4} plaatsvinden/);
  await expect(alert.getByRole('button')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Stap zetten' })).toHaveCount(0);
  await expectAccessible(page);
  await screenshot(page, 'client-waiting');

  // A date before the request is refused at the field, never corrected.
  const date = card.getByLabel('Datum van het eerste gesprek');
  await date.fill('2000-01-01');
  await card.getByRole('button', { name: 'Eerste gesprek opslaan' }).click();
  await expect(date).toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(/\/clienten\//);
  // Today: the meeting took place; the record becomes a trajectory at its first contact.
  const today = await page.evaluate(() =>
    new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam' }).format(new Date()),
  );
  await date.fill(today);
  await card.getByRole('button', { name: 'Eerste gesprek opslaan' }).click();
  await expect(page.getByTestId('client-status')).toHaveText('Loopt');
  await expect(page.getByRole('heading', { name: 'Stap zetten' })).toBeVisible();
  await expect(page.getByTestId('steps').locator('li').first()).toHaveClass(/done/);
  await expect(page.locator('[data-kind="first_meeting"]')).toHaveCount(0);

  // Back on the worklist it is gone.
  await page.goto('/');
  await expect(page.getByTestId('worklist')).toBeVisible();
  await expect(page.getByTestId('worklist-first-meetings').getByRole('link', { name: ref, exact: true })).toHaveCount(
    0,
  );

  // The caseload's "Over de termijn" filter lists only waiting requests past their term, in the URL.
  await page.goto('/clienten');
  await page.getByLabel('Alleen over de wettelijke termijn').check();
  await expect(page).toHaveURL(/overdue=1/);
  // The list reloads 200 ms after the filter changes (it waits for more typing): until then the
  // unfiltered page is still shown, so wait until every row shown carries the tag.
  const rows = page.getByTestId('caseload').locator('tbody tr');
  const tags = page.getByTestId('caseload-waiting');
  await expect(async () => {
    const shown = await rows.count();
    expect(shown).toBeGreaterThan(0);
    const texts = await tags.allTextContents();
    expect(texts).toHaveLength(shown);
    expect(texts.every((t) => t.trim().startsWith('over de termijn'))).toBe(true);
  }).toPass();
  await expectAccessible(page);
});

test('the counselor corrects the date and the crisis of a request; the term follows (#26)', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, 'counselor');
  const day = (offset: number) =>
    page.evaluate(
      (n) =>
        new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam' }).format(
          new Date(Date.now() + n * 86_400_000),
        ),
      offset,
    );
  const dutch = (iso: string) => {
    const [y, m, d] = iso.split('-').map(Number);
    return `${d}-${m}-${y}`;
  };
  // A request typed in today, waiting for its first meeting: due in 28 days, within the term.
  const ref = `CORR-${Date.now().toString(36)}`;
  await page.goto('/clienten/nieuw');
  await page.getByLabel('Cliëntnummer').fill(ref);
  await page.getByLabel('Gemeente').selectOption({ label: 'Zwolle' });
  await page.getByLabel('Aangemeld op').fill(await day(0));
  await page.getByLabel('Datum eerste contact').fill('');
  await page.getByRole('button', { name: 'Cliënt aanmaken' }).click();
  await expect(page.getByRole('heading', { name: `Cliënt ${ref}` })).toBeVisible();
  const registration = page.getByTestId('registration');
  await expect(registration).toContainText(new RegExp(`Aangemeld op\\s*${dutch(await day(0))}`));
  await expect(registration).toContainText(/Crisis\s*Geen crisis/);
  await expect(registration).toContainText(new RegExp(`Eerste gesprek uiterlijk\\s*${dutch(await day(28))}`));

  // The request really came 40 days ago: a date in the future is refused at the field, never corrected.
  await page.getByRole('button', { name: 'Aanmelding corrigeren' }).click();
  const form = page.getByTestId('registration-form');
  const date = form.getByLabel('Aangemeld op');
  await date.fill(await day(3));
  await form.getByRole('button', { name: 'Aanmelding opslaan' }).click();
  await expect(date).toHaveAttribute('aria-invalid', 'true');
  await expect(form).toContainText('Deze datum kan niet. Kies een dag vanaf 1-1-2000 tot en met vandaag');
  await expectAccessible(page);
  await screenshot(page, 'client-registration-refused');
  await date.fill(await day(-40));
  await form.getByLabel('Crisis').selectOption({ label: 'Dreigende huisuitzetting' });
  await form.getByRole('button', { name: 'Aanmelding opslaan' }).click();
  // With a threatened eviction the term is 3 working days, long past: the record and the alert say so.
  const notice = page.getByTestId('client-notice');
  await expect(notice).toContainText(
    /^Opgeslagen\. Het eerste gesprek moet nu uiterlijk op \d{1,2}-\d{1,2}-\d{4} zijn\.$/,
  );
  await expect(registration).toContainText(new RegExp(`Aangemeld op\\s*${dutch(await day(-40))}`));
  await expect(registration).toContainText(/Crisis\s*Dreigende huisuitzetting/);
  await expect(page.getByTestId('client-crisis')).toHaveText('Dreigende huisuitzetting');
  const due = (await notice.textContent())?.match(/(\d{1,2}-\d{1,2}-\d{4})/)?.[1] as string;
  await expect(registration).toContainText(new RegExp(`Eerste gesprek uiterlijk\\s*${due}`));
  await expect(page.locator('[data-kind="first_meeting"]')).toContainText(`uiterlijk op ${due}`);
  await expectAccessible(page);
  await screenshot(page, 'client-registration-corrected');

  // On the worklist it now stands among the overdue requests, with its crisis.
  await page.goto('/');
  const line = page.getByTestId('worklist-first-meetings').locator('li', { hasText: ref });
  await expect(line).toHaveClass(/overdue/);
  await expect(line.getByTestId('worklist-crisis')).toHaveText('Dreigende huisuitzetting');
});
