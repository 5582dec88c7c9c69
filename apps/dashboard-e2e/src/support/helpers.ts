import AxeBuilder from '@axe-core/playwright';
import { expect, Page } from '@playwright/test';

export const DEMO_PASSWORD = 'klantmonitor';
export const ACCOUNTS = {
  platform_admin: {
    email: 'platform@klantmonitor.test',
    password: 'platform-password-e2e',
    roleText: 'Platformbeheerder',
  },
  org_admin: {
    email: 'beheer@noordoost.demo.klantmonitor.nl',
    password: DEMO_PASSWORD,
    roleText: 'Beheerder organisatie',
  },
  counselor: {
    email: 'hulpverlener@noordoost.demo.klantmonitor.nl',
    password: DEMO_PASSWORD,
    roleText: 'Schuldhulpverlener',
  },
  policy_advisor: {
    email: 'beleid@rijngouwe.demo.klantmonitor.nl',
    password: DEMO_PASSWORD,
    roleText: 'Beleidsadviseur',
  },
} as const;
export type Account = keyof typeof ACCOUNTS;

export async function signIn(page: Page, who: Account): Promise<void> {
  await page.goto('/inloggen');
  await page.getByLabel('E-mailadres').fill(ACCOUNTS[who].email);
  await page.getByLabel('Wachtwoord').fill(ACCOUNTS[who].password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL('**/start');
}

/** No serious or critical accessibility violations (axe-core, WCAG 2.1 A/AA rules). */
export async function expectAccessible(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(serious).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-output/screenshots/${name}.png`, fullPage: true });
}

/** The first e-mail the loopback SMTP server received for `to` (waits up to 20 s). */
export async function waitForMail(to: string): Promise<{ subject: string; text: string; html: string }> {
  const inbox = process.env['KM_DASHBOARD_MAIL_URL'] as string;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const list = await (await fetch(`${inbox}/api/messages?to=${encodeURIComponent(to)}`)).json();
    if (list.length > 0) return list[0];
    if (Date.now() > deadline) throw new Error(`no mail for ${to}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A counselor (signed in on `page`) registers a client in Zwolle with an e-mail address, as on the
 * "Nieuwe cliënt" page; the intake questionnaire mail follows. Returns the client page's URL.
 */
export async function registerClientWithEmail(page: Page, ref: string, email: string): Promise<string> {
  await page.goto('/clienten/nieuw');
  await page.getByLabel('Cliëntnummer').fill(ref);
  await page.getByLabel('Gemeente').selectOption({ label: 'Zwolle' });
  await page.getByLabel('E-mailadres (voor de vragenlijst)').fill(email);
  await page.getByRole('button', { name: 'Cliënt aanmaken' }).click();
  await expect(page.getByRole('heading', { name: `Cliënt ${ref}` })).toBeVisible();
  return page.url();
}
