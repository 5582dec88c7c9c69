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
