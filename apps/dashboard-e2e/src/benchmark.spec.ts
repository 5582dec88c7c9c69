import { type Page } from '@playwright/test';
import { expect, onConfirm, test } from './support/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { expectAccessible, screenshot, signIn } from './support/helpers';

const pct = new Intl.NumberFormat('nl-NL', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/** GET of the API with the page's sign-in, expecting 200, as JSON. */
async function jsonApi(page: Page) {
  const token = await page.evaluate(
    () => (JSON.parse(sessionStorage.getItem('km.session') ?? '{}') as { token?: string }).token,
  );
  return async (path: string) => {
    const r = await page.request.get(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect(r.status()).toBe(200);
    return r.json();
  };
}

test('a policy advisor compares municipalities: figures equal the API, filters in the URL, table view, downloads', async ({
  page,
}) => {
  // A whole journey (charts, filters, windows, three downloads): 19-21 s alone, more under CI load.
  test.setTimeout(60_000);
  await signIn(page, 'policy_advisor');
  await expect(page.getByTestId('tiles')).toBeVisible();
  await page.getByTestId('start-benchmark').click();
  await expect(page).toHaveURL(/\/vergelijken$/);
  const bars = page.getByTestId('chart-municipalities');
  await expect(bars).toBeVisible();
  await expect(page.getByTestId('computed-at')).toContainText('Cijfers van');
  await expect(page.getByTestId('chart-funnel-caption')).toContainText('Duidelijk hoger:');
  // The advisor's own municipalities (Rijn en Gouwe: Alphen, Leiden, Utrecht) are named on the funnel plot (#25).
  await page.getByTestId('chart-funnel').scrollIntoViewIfNeeded();
  const funnelCanvas = page.getByTestId('chart-funnel').locator('canvas');
  await expect(funnelCanvas).toHaveAttribute('data-named', 'Alphen aan den Rijn, Leiden, Utrecht');
  await page.getByTestId('chart-funnel').screenshot({ path: 'test-output/screenshots/funnel-own-names.png' });

  // The same answer from the API, with the page's token.
  const token = await page.evaluate(
    () =>
      (
        JSON.parse(sessionStorage.getItem('km.session') ?? '{}') as {
          token?: string;
        }
      ).token,
  );
  const api = async (path: string) => {
    const r = await page.request.get(path, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    expect(r.status()).toBe(200);
    return r;
  };
  const answer = await (
    await api('/api/v1/analytics/step-attainment?step=iu_in_balance&withinDays=60&groupBy=municipality')
  ).json();
  const zwolle = answer.rows.find((r: { municipality: string }) => r.municipality === 'GM0193');
  await bars.getByTestId('chart-municipalities-toggle').click();
  const table = bars.getByTestId('chart-municipalities-table');
  await expect(table).toBeVisible();
  await expect(table.locator('tr', { hasText: 'Zwolle' })).toContainText(pct.format(zwolle.share));
  await expect(table.locator('tr', { hasText: 'Totaal' })).toContainText(pct.format(answer.total.share));
  await expect(page.getByTestId('chart-funnel-caption')).toContainText('Zwolle');
  await expectAccessible(page);
  await screenshot(page, 'benchmark-1366');

  // Charts below the fold are drawn when they come near; printing draws every chart and table.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('figure.chart')).toHaveCount(10);
  await expect(page.getByTestId('chart-funnel-table').locator('tr', { hasText: 'Zwolle' })).toHaveCount(1);
  await expect(page.locator('[data-testid="chart-trend"] canvas')).toHaveCount(1);
  await page.emulateMedia({ media: 'screen' });

  // A filter change goes into the URL; back returns; a copied link shows the same view.
  await page.getByLabel('Binnen hoeveel dagen').fill('90');
  await page.getByLabel('Binnen hoeveel dagen').press('Enter');
  await page.getByLabel('Binnen hoeveel dagen').blur();
  await expect(page).toHaveURL(/withinDays=90/);
  const answer90 = await (
    await api('/api/v1/analytics/step-attainment?step=iu_in_balance&withinDays=90&groupBy=municipality')
  ).json();
  await expect(page.getByTestId('chart-municipalities-table').locator('tr', { hasText: 'Totaal' })).toContainText(
    pct.format(answer90.total.share),
  );
  const link = page.url();
  await page.goBack();
  await expect(page).not.toHaveURL(/withinDays=90/);
  await expect(page.getByLabel('Binnen hoeveel dagen')).toHaveValue('60');
  await page.goto(link);
  await expect(page.getByLabel('Binnen hoeveel dagen')).toHaveValue('90');

  // Other organisations' figures come per quarter or year (#23): a choice with the reason, no free dates.
  await expect(page.getByTestId('window-why')).toContainText('per kwartaal of jaar');
  await expect(page.getByLabel('Eerste contact vanaf')).toHaveCount(0);
  const options = await (await api('/api/v1/analytics/options')).json();
  const quarter: string = options.windows.quarters[1];
  await page.getByLabel('Periode (eerste contact)').selectOption(quarter);
  await expect(page).toHaveURL(new RegExp(`cohort=${quarter}`));
  await expect(page.getByTestId('shown-window')).toContainText(quarter);
  const inQuarter = await (
    await api(
      `/api/v1/analytics/step-attainment?step=iu_in_balance&withinDays=90&groupBy=municipality&cohort=${quarter}`,
    )
  ).json();
  expect(inQuarter.protected.window.quarters).toEqual([quarter]);
  await expectAccessible(page);
  await screenshot(page, 'benchmark-quarter-1366');
  // The latest quarter has not had 365 days: said in Dutch, with what to do (the API names withinDays).
  await page.goto(`/vergelijken?cohort=${options.windows.quarters[0]}&withinDays=365`);
  await expect(page.getByText('nog niet genoeg dagen voorbij').first()).toBeVisible();
  // Only one's own municipalities: free dates again.
  const ownOnly = options.municipalities.find((m: { own: boolean; protected: boolean }) => m.own && !m.protected);
  if (ownOnly) {
    await page.goto(`/vergelijken?municipalities=${ownOnly.code}`);
    await expect(page.getByLabel('Eerste contact vanaf')).toBeVisible();
    await expect(page.getByTestId('window-why')).toHaveCount(0);
  }
  await page.goto(link);

  // A wrong number is named next to its field and not applied.
  await page.getByLabel('Binnen hoeveel dagen').fill('-3');
  await page.getByLabel('Binnen hoeveel dagen').blur();
  await expect(page.getByText('Vul een heel getal in van 0 tot en met 3650.')).toBeVisible();
  await expect(page).toHaveURL(/withinDays=90/);

  // Downloads: the CSV is the API's CSV for the same filters; XLSX and PDF arrive.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
  const fromApi = await (
    await api('/api/v1/analytics/step-attainment?step=iu_in_balance&withinDays=90&groupBy=municipality&format=csv')
  ).body();
  expect(readFileSync((await csv.path()) as string).equals(fromApi)).toBe(true);
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-xlsx').click()]);
  await xlsx.saveAs('test-output/screenshots/report.xlsx');
  expect(
    readFileSync((await xlsx.path()) as string)
      .subarray(0, 2)
      .toString(),
  ).toBe('PK');
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-pdf').click()]);
  await pdf.saveAs('test-output/screenshots/report.pdf');
  expect(
    readFileSync((await pdf.path()) as string)
      .subarray(0, 5)
      .toString(),
  ).toBe('%PDF-');
  // A report for a meeting (#24): no word prints over another on any page, every page has content
  // and the date of the figures, Dutch only (no JSON names), municipalities by name.
  const pages = pdfWordBoxes((await pdf.path()) as string);
  expect(pages.length).toBeGreaterThan(5);
  for (const [i, words] of pages.entries()) {
    expect([i + 1, overlaps(words)]).toEqual([i + 1, []]);
    expect(words.length).toBeGreaterThan(20);
    expect(words.map((w) => w.text).join(' ')).toMatch(/cijfers van \d+ december \d{4}/);
  }
  const all = pages
    .flat()
    .map((w) => w.text)
    .join(' ');
  expect(all).not.toMatch(/\b(suppressed|eligible|medianDays|municipality|clientType|computedAt|minCell|unknown)\b/);
  expect(all).toContain('Zwolle');
  expect(all).not.toMatch(/GM0193/);
});

test('the question answered in words: speed per municipality with intervals, time by municipality, experience with figures', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await signIn(page, 'policy_advisor');
  const api = await jsonApi(page);
  await page.goto('/vergelijken?clientTypes=zelfstandige');
  const speed = await api(
    '/api/v1/analytics/time-to-step?step=iu_in_balance&groupBy=municipality&clientTypes=zelfstandige',
  );
  const options = await api('/api/v1/analytics/options');
  const nameOf = (code: string) =>
    (options.municipalities as { code: string; name: string }[]).find((m) => m.code === code)?.name ?? code;
  type Row = { municipality: string; medianDays: number | null; medianCiLow: number | null; suppressed: boolean };
  const withMedian = (speed.rows as Row[])
    .filter((r) => !r.suppressed && r.medianDays !== null)
    .sort((a, b) => (a.medianDays as number) - (b.medianDays as number));
  expect(withMedian.length).toBeGreaterThan(1);
  const fastest = withMedian[0];

  // One sentence on top answers the question, with the API's fastest median and its interval.
  const summary = page.getByTestId('summary');
  await expect(summary).toContainText(
    // The type by the organisation's own name, as on the caseload (#25).
    `${nameOf(fastest.municipality)} helpt cliënten van het type "De zelfstandige" het snelst`,
  );
  await expect(summary).toContainText(`mediaan ${fastest.medianDays} dagen, 95%: ${fastest.medianCiLow} – `);
  await expect(summary).toContainText(nameOf(withMedian[1].municipality));
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.screenshot({ path: 'test-output/screenshots/benchmark-summary-1366.png' });

  // The table "Snelheid per gemeente": fastest first, as the API says.
  const table = page.getByTestId('speed-table-table');
  await expect(table.locator('tbody tr').first()).toContainText(nameOf(fastest.municipality));
  await expect(table.locator('tbody tr').first()).toContainText(String(fastest.medianDays));
  await expect(table.locator('thead')).toContainText('Mediaan in dagen (95%-interval)');
  await expect(table.locator('tbody tr').first()).toContainText(`${fastest.medianDays} (${fastest.medianCiLow} – `);
  // The ten fastest and one's own at first; all on request.
  const own = (options.municipalities as { own: boolean }[]).filter((m) => m.own).length;
  expect(await table.locator('tbody tr').count()).toBeLessThanOrEqual(10 + own);
  await page.getByTestId('speed-all').click();
  await expect(table.locator('tbody tr')).toHaveCount(speed.rows.length);

  // The time chart by municipality: in the URL, a line per municipality.
  await page.getByTestId('time-by-municipality').click();
  await expect(page).toHaveURL(/timeBy=municipality/);
  await page.getByTestId('chart-time-toggle').click();
  const timeTable = page.getByTestId('chart-time-table');
  await expect(timeTable.locator('thead')).toContainText('Gemeente');
  await expect(timeTable.locator('tr', { hasText: nameOf(fastest.municipality) })).toHaveCount(1);

  // Experience exists in the demo: the tile shows a mean, own and national, as the API answers (same type).
  const national = await api(
    '/api/v1/analytics/experience?item=goed_geholpen&groupBy=clientType&clientTypes=zelfstandige',
  );
  expect(national.total.n).toBeGreaterThan(50);
  const tile = page.getByTestId('tiles').locator('li', { hasText: 'Goed geholpen' });
  await expect(tile.getByTestId('tile-national')).toContainText(
    new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(national.total.mean),
  );
  await expect(tile.getByTestId('tile-own')).toContainText(/\d,\d/);
  await page.goto('/vergelijken');
  await page.getByTestId('chart-experience').scrollIntoViewIfNeeded();
  await page.getByTestId('chart-experience-toggle').click();
  await expect(page.getByTestId('chart-experience-table').locator('tr', { hasText: 'Alle cliënten' })).toContainText(
    /\d,\d/,
  );
  await expectAccessible(page);
  await screenshot(page, 'benchmark-experience-1366');
});

test('compare with a comparison group, save the view, reopen it, remove it after a confirmation', async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, 'policy_advisor');
  const api = await jsonApi(page);
  const groups = (await api('/api/v1/comparison-groups')) as { id: string; name: string; scope: string }[];
  const group = groups.find((g) => g.name === 'Middelgrote gemeenten (voorbeeld)');
  expect(group?.scope).toBe('platform');
  await page.goto('/vergelijken');
  await page.getByLabel('Vergelijk met').selectOption({ label: 'Middelgrote gemeenten (voorbeeld)' });
  await expect(page).toHaveURL(new RegExp(`compareTo=${group?.id}`));
  const answer = await api(
    `/api/v1/analytics/step-attainment?step=iu_in_balance&withinDays=60&groupBy=municipality&compareTo=${group?.id}`,
  );
  expect(answer.reference.total.suppressed).toBe(false);
  // The group is a second line on the bars, named with its figure, and a row of the table.
  await expect(page.getByTestId('group-note')).toContainText(
    `Middelgrote gemeenten (voorbeeld): ${pct.format(answer.reference.total.share)}`,
  );
  await page.getByTestId('chart-municipalities-toggle').click();
  await expect(
    page.getByTestId('chart-municipalities-table').locator('tr', { hasText: 'Vergelijkingsgroep: Middelgrote' }),
  ).toContainText(pct.format(answer.reference.total.share));

  // Saving without a name says so next to the form; with one, the view is listed.
  const views = page.getByTestId('saved-views');
  await views.getByTestId('save-view').click();
  await expect(views.getByTestId('view-message')).toHaveText('Vul een naam in van 1 tot en met 100 tekens.');
  await views.getByLabel('Naam van deze weergave').fill('Raadsrapportage Q3');
  await views.getByTestId('save-view').click();
  await expect(views.getByTestId('view-message')).toHaveText('Opgeslagen: Raadsrapportage Q3.');
  await expectAccessible(page);
  await screenshot(page, 'benchmark-group-1366');

  // Elsewhere, then the saved view brings the same filters back.
  await page.goto('/vergelijken?withinDays=90');
  await views.getByTestId('open-view').filter({ hasText: 'Raadsrapportage Q3' }).click();
  await expect(page).toHaveURL(new RegExp(`compareTo=${group?.id}`));
  await expect(page).not.toHaveURL(/withinDays=90/);
  await expect(page.getByLabel('Vergelijk met')).toHaveValue(group?.id as string);

  // Removing asks first in a dialog; "Annuleren" keeps it (focus back on the button), "Verwijderen" removes it.
  const kept = onConfirm(page, false);
  await views.getByTestId('remove-view').click();
  expect(await kept).toContain('Weergave "Raadsrapportage Q3" verwijderen?');
  await expect(views.getByTestId('remove-view')).toBeFocused();
  await expect(views.getByTestId('open-view')).toHaveCount(1);
  const removed = onConfirm(page, true);
  await views.getByTestId('remove-view').click();
  await removed;
  await expect(views.getByText('Je hebt nog geen weergaven opgeslagen.')).toBeVisible();
});

interface WordBox {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Every word of every page with its box (pdftotext -bbox-layout, Debian's poppler-utils). */
function pdfWordBoxes(path: string): WordBox[][] {
  const xhtml = execFileSync('pdftotext', ['-bbox-layout', path, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return xhtml
    .split('<page ')
    .slice(1)
    .map((page) =>
      [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map(
        (m) => ({ x0: +m[1], y0: +m[2], x1: +m[3], y1: +m[4], text: m[5] }),
      ),
    );
}

/** Pairs of words whose boxes intersect (by more than half a point each way). */
function overlaps(words: WordBox[]): string[] {
  const e = 0.5;
  const out: string[] = [];
  for (let i = 0; i < words.length; i++)
    for (let j = i + 1; j < words.length; j++) {
      const a = words[i];
      const b = words[j];
      if (a.x0 + e < b.x1 - e && b.x0 + e < a.x1 - e && a.y0 + e < b.y1 - e && b.y0 + e < a.y1 - e)
        out.push(`${a.text} / ${b.text}`);
    }
  return out;
}

/** A PNG's size and its pixel data inflated (IHDR and IDAT chunks read by hand). */
function decodePng(png: Buffer): { width: number; height: number; channels: number; data: Buffer } {
  expect(png.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))).toBe(true);
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('latin1');
    const body = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[body[9]] ?? 0;
      expect(body[8]).toBe(8); // 8 bits per channel
    }
    if (type === 'IDAT') idat.push(body);
    at += 12 + length;
  }
  return { width, height, channels, data: inflateSync(Buffer.concat(idat)) };
}

test('every chart downloads as a PNG at twice its size, with title, filters and date', async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, 'policy_advisor');
  await page.goto('/vergelijken');
  const frame = page.getByTestId('chart-municipalities');
  await expect(frame.locator('canvas').first()).toBeVisible();
  const cssWidth = await frame
    .locator('canvas')
    .first()
    .evaluate((c) => c.getBoundingClientRect().width);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    frame.getByRole('button', { name: 'Afbeelding downloaden' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^klantmonitor-gemeenten-naast-elkaar.*\.png$/);
  await download.saveAs('test-output/screenshots/chart-image.png');
  const png = decodePng(readFileSync((await download.path()) as string));
  // At 2x: wider than twice the chart on screen (the margins come on top); one filter byte per row.
  expect(png.width).toBeGreaterThan(2 * cssWidth);
  expect(png.data.length).toBe(png.height * (1 + png.width * png.channels));
  // Not empty: many bytes that are neither background nor "no change".
  let drawn = 0;
  for (const b of png.data) if (b !== 0 && b !== 255) drawn++;
  expect(drawn).toBeGreaterThan(5000);
  // Every chart has the button (the speed table is a table, no image).
  await expect(page.getByRole('button', { name: 'Afbeelding downloaden' })).toHaveCount(9);
});

test('by keyboard: a skip link past the filters to the figures (#25)', async ({ page }) => {
  await signIn(page, 'policy_advisor');
  await page.goto('/vergelijken');
  await expect(page.getByTestId('chart-funnel')).toBeVisible();
  // From the top of the page, Tab until the skip link has focus: it comes before any filter.
  await page.locator('body').focus();
  let presses = 0;
  const onSkipLink = () => page.getByTestId('skip-to-figures').evaluate((a) => a === document.activeElement);
  while (presses < 30 && !(await onSkipLink())) {
    await page.keyboard.press('Tab');
    presses++;
  }
  expect(presses).toBeLessThan(30);
  await expect(page.getByTestId('skip-to-figures')).toHaveText('Naar de cijfers');
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('cijfers');
  await screenshot(page, 'benchmark-skip-1366');
});

test('a link with a wrong filter says so instead of silently changing it', async ({ page }) => {
  await signIn(page, 'policy_advisor');
  await page.goto('/vergelijken?withinDays=abc');
  await expect(page.getByTestId('url-problem')).toContainText('Binnen hoeveel dagen');
  await expect(page.getByTestId('chart-municipalities')).toBeVisible();
});

test('an organisation admin reaches the page from the start page; a counselor may not', async ({ page }) => {
  await signIn(page, 'org_admin');
  await page.getByTestId('start-benchmark').click();
  await expect(page.getByRole('heading', { name: 'Gemeenten vergelijken' })).toBeVisible();
  await expect(page.getByTestId('chart-dropout')).toBeVisible();
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await signIn(page, 'counselor');
  await expect(
    page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vergelijken' }),
  ).toHaveCount(0);
  await page.goto('/vergelijken');
  await expect(page).toHaveURL(/geen-toegang/);
});

test('a policy advisor reads the waiting time: the legal-term tile and the chart per municipality with its table (#26)', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, 'policy_advisor');
  const api = await jsonApi(page);
  await page.goto('/vergelijken');
  const national = await api('/api/v1/analytics/waiting-time?groupBy=clientType');
  const perMunicipality = await api('/api/v1/analytics/waiting-time?groupBy=municipality');
  expect(national.total.n).toBeGreaterThan(100);
  expect(typeof national.total.withinTerm).toBe('number');
  // The tile: the share seen within the legal term, as the API answers, own and national.
  const tile = page.getByTestId('tiles').locator('li', { hasText: 'Binnen de wettelijke termijn gezien' });
  await expect(tile.getByTestId('tile-national')).toContainText(pct.format(national.total.withinTerm));
  await expect(tile.getByTestId('tile-own')).toContainText(/\d+,\d%/);
  // The chart: bars per municipality and, as a table, the median wait and the share within the term.
  const chart = page.getByTestId('chart-waiting');
  await chart.scrollIntoViewIfNeeded();
  await expect(chart).toContainText('Wachttijd tot het eerste gesprek per gemeente');
  await expect(chart.locator('canvas').first()).toBeVisible();
  await page.getByTestId('chart-waiting-toggle').click();
  const table = page.getByTestId('chart-waiting-table');
  await expect(table.locator('thead')).toContainText('Binnen de termijn');
  const options = await api('/api/v1/analytics/options');
  const zwolle = (options.municipalities as { code: string; name: string }[]).find((m) => m.name === 'Zwolle');
  const row = (perMunicipality.rows as { municipality: string; medianDays: number; withinTerm: number }[]).find(
    (r) => r.municipality === zwolle?.code,
  );
  expect(row).toBeTruthy();
  await expect(table.locator('tr', { hasText: 'Zwolle' })).toContainText(`${row?.medianDays} dagen`);
  await expect(table.locator('tr', { hasText: 'Zwolle' })).toContainText(pct.format(row?.withinTerm as number));
  await expect(table.locator('tr', { hasText: 'Totaal' })).toContainText(pct.format(national.total.withinTerm));
  await expectAccessible(page);
  await screenshot(page, 'benchmark-waiting-1366');
});
