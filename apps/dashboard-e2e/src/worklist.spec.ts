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
  await expect(page.getByTestId('worklist-quiet').locator('li').first()).toBeVisible();
  expect(await page.getByTestId('worklist-quiet').locator('li').count()).toBeGreaterThanOrEqual(mine);
  // The team's list says whose client each line is (#25); one's own list does not need to.
  const whose = page.getByTestId('worklist-quiet').getByTestId('worklist-counselor');
  await expect(whose.first()).toHaveText(/^\s*\([^)]+\)\s*$/);
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
