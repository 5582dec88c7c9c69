import { expect, test as base, type Page } from '@playwright/test';

/**
 * The browser tests' `test` (#25): every page gets a `window.confirm` (and alert/prompt) that fails
 * the test when called, since confirmations are in-page dialogs; a browser pop-up that still shows
 * fails the test at its end.
 */
export const test = base.extend({
  page: async ({ page }, use) => {
    const popups: string[] = [];
    await page.addInitScript(() => {
      for (const name of ['confirm', 'alert', 'prompt'] as const)
        (window as unknown as Record<string, unknown>)[name] = () => {
          throw new Error(`window.${name} was called: confirmations are in-page dialogs (#25)`);
        };
    });
    page.on('pageerror', (e) => {
      if (/window\.(confirm|alert|prompt) was called/.test(e.message)) popups.push(e.message);
    });
    page.on('dialog', (d) => {
      popups.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    await use(page);
    if (popups.length) throw new Error(`browser pop-ups instead of in-page dialogs: ${popups.join('; ')}`);
  },
});
export { expect };

/**
 * Answers the next in-page confirmation (role alertdialog): `true` presses its confirm button (the
 * first), `false` "Annuleren". Start it before the click that asks; it resolves with the question.
 */
export function onConfirm(page: Page, accept: boolean): Promise<string> {
  const dialog = page.getByRole('alertdialog');
  return (async () => {
    await dialog.waitFor({ state: 'visible' });
    const text = (await dialog.locator('#km-confirm-message').innerText()).trim();
    if (accept) await dialog.getByRole('button').first().click();
    else await dialog.getByRole('button', { name: 'Annuleren' }).click();
    await dialog.waitFor({ state: 'hidden' });
    return text;
  })();
}
