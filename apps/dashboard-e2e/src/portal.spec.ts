import { expect, onConfirm, test } from './support/test';
import { expectAccessible, registerClientWithEmail, screenshot, signIn, waitForMail } from './support/helpers';

/** The path of a link in a mail (its origin is the dashboard's). */
const pathOf = (text: string, kind: 'v' | 'mijn') => {
  const m = new RegExp(`https?://[^/\\s]+(/${kind}/[A-Za-z0-9_-]{43})`).exec(text);
  if (!m) throw new Error(`no /${kind}/ link in ${text}`);
  return m[1];
};

test.describe('"Mijn traject": a client sees their own progress', () => {
  test('from the invitation mail on a 320 px phone: steps, next step, spaartegoed, the questions and back', async ({
    page,
    browser,
  }) => {
    // The mail, the page in two languages, the questionnaire, the counselor's revocation: a long story.
    test.setTimeout(60_000);
    const ref = `MT-${Date.now()}`;
    const email = `${ref.toLowerCase()}@voorbeeld.nl`;
    await signIn(page, 'counselor');
    const clientUrl = await registerClientWithEmail(page, ref, email);

    const mail = await waitForMail(email);
    expect(mail.text).toContain('Wil je zien hoe ver je bent en wat de volgende stap is?');
    const portal = pathOf(mail.text, 'mijn');

    const phone = await browser.newContext({
      viewport: { width: 320, height: 640 },
      locale: 'nl-NL',
      timezoneId: 'Europe/Amsterdam',
      isMobile: true,
      hasTouch: true,
    });
    const client = await phone.newPage();
    await client.goto(portal);
    await expect(client.getByRole('heading', { name: 'Mijn traject', level: 1 })).toBeVisible();
    const steps = client.getByTestId('portal-steps').locator('li');
    await expect(steps).toHaveCount(6);
    await expect(steps.first()).toContainText('Eerste gesprek');
    await expect(steps.first()).toContainText(/gehaald op \d{1,2} [a-z]+ \d{4}/);
    await expect(steps.nth(1)).toContainText('Je doel is duidelijk');
    await expect(steps.nth(1)).toContainText('nog niet');
    await expect(client.getByTestId('portal-next')).toContainText('Je doel is duidelijk');
    await expect(client.getByTestId('portal-next')).toContainText('wat je wilt bereiken');
    await expect(client.getByTestId('portal-spaartegoed')).toContainText(/Je hebt nu €\s0,00 spaartegoed\./);
    // How and when it is paid, and how to reach the organisation, in its own words (the demo's settings, #25).
    await expect(client.getByTestId('portal-spaartegoed')).toContainText(
      'We zetten je spaartegoed elk kwartaal op je rekening.',
    );
    const contact = client.getByTestId('portal-contact');
    await expect(contact).toContainText('Neem contact op met Schuldhulp Noord-Oost.');
    await expect(contact.getByRole('link', { name: '058 123 45 67' })).toHaveAttribute('href', 'tel:0581234567');
    await expect(contact).toContainText('Maandag tot en met vrijdag van 9.00 tot 17.00 uur');
    // Nothing that would identify the client: not the reference, not the address.
    await expect(client.locator('body')).not.toContainText(ref);
    await expect(client.locator('body')).not.toContainText(email);
    await expectAccessible(client);
    expect(await client.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await screenshot(client, 'portal-320');

    // English one tap away.
    await client.getByTestId('portal-language').click();
    await expect(client.getByRole('heading', { name: 'My progress', level: 1 })).toBeVisible();
    await expect(client.getByTestId('portal-next')).toContainText('Your goal is clear');
    await client.getByTestId('portal-language').click();
    await expect(client.getByRole('heading', { name: 'Mijn traject', level: 1 })).toBeVisible();

    // The open questionnaire, answered from the page; the thank-you screen leads back.
    await client.getByTestId('portal-questionnaire').getByRole('link', { name: 'Vragen invullen' }).click();
    await expect(client.getByRole('heading', { name: 'Hoe gaat het met de hulp?' })).toBeVisible();
    await client.getByTestId('respond-start').click();
    for (const [i, v] of [2, 4, 5, 4, 4].entries()) {
      await expect(client.getByText(`Vraag ${i + 1} van 6`)).toBeVisible();
      await client.getByRole('radio', { name: new RegExp(`^${v}\\b`) }).check();
      await client.getByTestId('respond-next').click();
    }
    await client.getByTestId('respond-send').click();
    await expect(client.getByTestId('respond-credited')).toHaveText(/Je hebt €\s2,50 spaartegoed verdiend\./);
    await client.getByTestId('respond-portal').click();
    await expect(client.getByRole('heading', { name: 'Mijn traject', level: 1 })).toBeVisible();
    await expect(client.getByTestId('portal-spaartegoed')).toContainText(/Je hebt nu €\s2,50 spaartegoed\./);
    await expect(client.getByTestId('portal-questionnaire')).toHaveCount(0);
    await expectAccessible(client);
    await screenshot(client, 'portal-320-after-answer');

    // An unknown link, in plain words.
    await client.goto('/mijn/' + 'x'.repeat(43));
    await expect(client.getByRole('heading', { name: 'Deze link kennen we niet' })).toBeVisible();
    await expectAccessible(client);

    // The counselor withdraws the links (#22): asked first, said next to the button; the page says why.
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.goto(clientUrl);
    const asked = onConfirm(page, true);
    await page.getByTestId('portal-revoke').click();
    expect(await asked).toContain('Alle links naar Mijn traject van deze cliënt intrekken?');
    await expect(page.getByTestId('client-notice')).toHaveText(/^Ingetrokken: \d+ link\(s\) werken niet meer\.$/);
    await client.goto(portal);
    await expect(client.getByRole('heading', { name: 'Deze link is ingetrokken' })).toBeVisible();
    await expect(client.getByTestId('portal-problem')).toContainText(
      'In de volgende e-mail of sms van ons staat een nieuwe link.',
    );
    await expectAccessible(client);
    expect(await client.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await screenshot(client, 'portal-320-revoked');
    await phone.close();
  });
});
