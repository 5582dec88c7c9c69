import type { Page } from '@playwright/test';
import { expect, onConfirm, test } from './support/test';
import { expectAccessible, registerClientWithEmail, screenshot, signIn, waitForMail } from './support/helpers';

const inbox = () => process.env['KM_DASHBOARD_MAIL_URL'] as string;

/** The link's path (/v/<token>); its origin is the dashboard's. */
const linkPath = (text: string) => {
  const m = /https?:\/\/[^/\s]+(\/v\/[A-Za-z0-9_-]{43})/.exec(text);
  if (!m) throw new Error(`no link in ${text}`);
  return m[1];
};

test.describe('questionnaire: from the inbox to the answer page to the client page', () => {
  test('the demo seeds open invitations that arrive in the inbox', async () => {
    const deadline = Date.now() + 20_000;
    let mails: { subject: string }[] = [];
    while (Date.now() < deadline) {
      mails = await (await fetch(`${inbox()}/api/messages`)).json();
      if (mails.length >= 6) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(mails.filter((m) => m.subject.startsWith('Hoe gaat het met de hulp?')).length).toBeGreaterThanOrEqual(6);
  });

  test('a client answers on a 320 px phone, earns spaartegoed, and the counselor sees it', async ({
    page,
    browser,
  }) => {
    const ref = `VL-${Date.now()}`;
    const email = `${ref.toLowerCase()}@voorbeeld.nl`;
    await signIn(page, 'counselor');
    const clientUrl = await registerClientWithEmail(page, ref, email);

    const mail = await waitForMail(email);
    expect(mail.subject).toBe('Hoe gaat het met de hulp? (Schuldhulp Noord-Oost)');
    const path = linkPath(mail.text);

    // The client: a phone 320 px wide, no account.
    const phone = await browser.newContext({
      viewport: { width: 320, height: 640 },
      locale: 'nl-NL',
      timezoneId: 'Europe/Amsterdam',
      isMobile: true,
      hasTouch: true,
    });
    const client = await phone.newPage();
    await client.goto(path);
    await expect(client.getByRole('heading', { name: 'Hoe gaat het met de hulp?' })).toBeVisible();
    await expect(client.getByText(/Je krijgt €\s2,50 spaartegoed/)).toBeVisible();
    await expectAccessible(client);
    // Nothing sticks out sideways at 320 px.
    expect(await client.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await screenshot(client, 'respond-320-start');
    await client.getByTestId('respond-start').click();

    // Going on without an answer says what to do.
    await client.getByTestId('respond-next').click();
    await expect(client.getByRole('alert')).toHaveText('Kies een antwoord om verder te gaan.');
    await expect(client.getByTestId('respond-question')).toHaveText('Hoeveel onrust voel je over je geld?');
    await expect(client.getByTestId('respond-next')).toBeInViewport({ ratio: 1 });
    // Tap targets are large.
    const box = await client.getByRole('radio', { name: /^1\b/ }).locator('xpath=..').boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
    await expectAccessible(client);
    await screenshot(client, 'respond-320-question');

    // English is one tap away; answers given so far stay.
    await client.getByRole('radio', { name: /^4\b/ }).check();
    await client.getByTestId('respond-language').click();
    await expect(client.getByTestId('respond-question')).toHaveText('How much unrest do you feel about your money?');
    await expect(client.getByRole('radio', { name: /^4\b/ })).toBeChecked();
    await client.getByTestId('respond-language').click();
    await expect(client.getByTestId('respond-question')).toHaveText('Hoeveel onrust voel je over je geld?');
    await client.getByTestId('respond-next').click();

    await answerAll2(client);
    await client.getByLabel('Wil je nog iets kwijt? (niet verplicht)').fill('Ik weet niet goed wat ik nu moet doen.');
    await expect(client.getByText('Vraag 6 van 6')).toBeVisible();
    await client.getByTestId('respond-send').click();
    await expect(client.getByTestId('respond-credited')).toHaveText(/Je hebt €\s2,50 spaartegoed verdiend\./);
    await expect(client.getByTestId('respond-balance')).toHaveText(/Je spaartegoed is nu €\s2,50\./);
    // How the demo organisation pays, in its own words (its settings, #25).
    await expect(client.getByTestId('respond-payout')).toContainText(
      'Zo krijg je het spaartegoed: We zetten je spaartegoed elk kwartaal op je rekening.',
    );
    await expectAccessible(client);
    await screenshot(client, 'respond-320-done');

    // The same link again: already answered, in plain words.
    await client.goto(path);
    await expect(client.getByRole('heading', { name: 'Je hebt deze vragen al ingevuld' })).toBeVisible();
    await expectAccessible(client);
    await client.goto('/v/' + 'x'.repeat(43));
    await expect(client.getByRole('heading', { name: 'Deze link kennen we niet' })).toBeVisible();
    await expectAccessible(client);
    await screenshot(client, 'respond-320-unknown');
    await phone.close();

    // The counselor sees the answers, the balance and the alert ("Word je goed geholpen?" at 2).
    await page.goto(clientUrl);
    await expect(page.getByTestId('invitation')).toHaveAttribute('data-state', 'completed');
    await expect(page.getByTestId('invitation')).toContainText('Ingevuld');
    await expect(page.getByTestId('responses').locator('tbody tr')).toHaveCount(1);
    // The scale is explained under the table, with the item that runs the other way.
    await expect(page.getByTestId('responses-legend')).toContainText('Bij Onrust is een lage score goed');
    await expect(page.getByTestId('responses-trend')).toHaveCount(0); // one answer: no trend yet
    await expect(page.getByTestId('responses').locator('tbody tr')).toContainText(
      'Ik weet niet goed wat ik nu moet doen.',
    );
    await expect(page.getByTestId('client-spaartegoed')).toHaveText('€ 2,50');
    await expect(page.locator('[data-testid="alert"][data-kind="low_experience"]')).toContainText(
      'voelt zich niet goed geholpen',
    );
    await expectAccessible(page);
    await screenshot(page, 'client-questionnaires');
    const answered1 = onConfirm(page, true); // "Is dit signaal afgehandeld?"
    await page
      .locator('[data-testid="alert"][data-kind="low_experience"]')
      .getByRole('button', { name: 'Afgehandeld' })
      .click();
    await answered1;
    await expect(page.locator('[data-testid="alert"][data-kind="low_experience"]')).toHaveCount(0);
  });

  test('the answer page passes axe on a desktop screen too', async ({ page }) => {
    // A seeded demo invitation, opened on a desktop.
    const mails: { to: string[]; text: string }[] = await (await fetch(`${inbox()}/api/messages`)).json();
    const seeded = mails.find((m) => m.to[0].startsWith('client'));
    if (!seeded) throw new Error('no seeded invitation in the inbox');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(linkPath(seeded.text));
    // The count on the first screen is the count the progress bar uses (5 questions + the comment).
    // As many questions as the invitation says ("Het zijn 5 korte vragen"), the comment extra (#25).
    await expect(page.getByTestId('respond-intro')).toContainText('We stellen je 5 korte vragen');
    await page.getByTestId('respond-start').click();
    await expect(page.getByText('Vraag 1 van 6')).toBeVisible();
    await expectAccessible(page);
    await screenshot(page, 'respond-desktop-question');
  });

  test('an organisation admin changes the questionnaire schedule and gets plain errors in Dutch', async ({ page }) => {
    await signIn(page, 'org_admin');
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vragenlijst' }).click();
    await expect(page.getByRole('heading', { name: 'Vragenlijst instellen' })).toBeVisible();
    await expect(page.getByLabel('Om de hoeveel weken (1 tot 52)')).toHaveValue('6');
    await expectAccessible(page);
    await page.getByLabel('Link werkt dagen (1 tot 90)').fill('91');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    // In Dutch, naming the field as the page does; never the API's English ("expiryDays must not be greater than 90").
    await expect(page.getByTestId('schedule-error')).toHaveText(
      'Vul bij "Link werkt dagen" een heel getal in van 1 tot en met 90.',
    );
    await page.getByLabel('Link werkt dagen (1 tot 90)').fill('21');
    await page.getByLabel('Spaartegoed per ingevulde lijst in euro (0 tot 100)').fill('3');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await expect(page.getByTestId('schedule-notice')).toHaveText('De instellingen zijn opgeslagen.');
    await page.reload();
    await expect(page.getByLabel('Link werkt dagen (1 tot 90)')).toHaveValue('21');
    // What clients see on "Mijn traject" (#25): the demo's phone and hours; a wrong phone is named at its field.
    const phone = page.getByLabel('Telefoonnummer voor cliënten (niet verplicht)');
    await expect(phone).toHaveValue('058 123 45 67');
    await expect(page.getByLabel('Wanneer zijn jullie bereikbaar? (niet verplicht)')).toHaveValue(
      'Maandag tot en met vrijdag van 9.00 tot 17.00 uur',
    );
    await phone.fill('bel de balie');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await expect(phone).toBeFocused();
    await expect(page.getByTestId('client-contact').getByTestId('field-error')).toHaveText(
      'Vul een telefoonnummer in met cijfers, spaties of streepjes, zoals 030 123 45 67 (hooguit 24 tekens).',
    );
    await expectAccessible(page);
    await screenshot(page, 'schedule');
    await phone.fill('058 123 45 67');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await expect(page.getByTestId('schedule-notice')).toHaveText('De instellingen zijn opgeslagen.');
  });
});

/** Questions 2-5 (the first is answered above): geloof 3, geluisterd 4, goed geholpen 2, weet wat te doen 3. */
async function answerAll2(page: Page): Promise<void> {
  for (const [i, v] of [3, 4, 2, 3].entries()) {
    await expect(page.getByText(`Vraag ${i + 2} van 6`)).toBeVisible();
    // "Volgende" is on screen without scrolling on every question, also at 320 x 640 (#25).
    await expect(page.getByTestId('respond-next')).toBeInViewport({ ratio: 1 });
    await page.getByRole('radio', { name: new RegExp(`^${v}\\b`) }).check();
    await page.getByTestId('respond-next').click();
  }
}
