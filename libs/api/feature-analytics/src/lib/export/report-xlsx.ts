/**
 * The benchmark page as an Excel workbook for people (GET /analytics/report?format=xlsx, the page's
 * "Excel" button; issue #24): a summary sheet, one sheet per chart with its table, Dutch column
 * headers (from the metric registry), municipality names next to codes, shares as percent cells,
 * and a "Toelichting" sheet in sentences. The figures are the answers the page and the PDF get
 * (benchmarkRequests); the machine-readable CSV of each endpoint keeps its JSON names.
 */
import ExcelJS from 'exceljs';
import { LADDER_STEPS } from '@klantmonitor/shared/domain';
import type { FunnelPoint } from '@klantmonitor/shared/metrics';
import { FRAME_COLUMNS, METRICS, type AnalyticsEndpoint, type ColumnKind } from '@klantmonitor/server/analytics';
import { dutchMoment } from './export-files';
import { smallCellNote } from './definitions';
import type { ExportAnswer, ExportCell } from './export-table';
import type { ReportInput } from './report-pdf';
import { reportSummary } from './report-summary';

interface Column {
  label: string;
  kind: ColumnKind;
  width?: number;
}

const NUM_FMT: Partial<Record<ColumnKind, string>> = { share: '0.0%', number: '0.00', int: '0' };
const VERDICT_NL: Record<FunnelPoint['verdict'], string> = {
  higher: 'duidelijk hoger',
  lower: 'duidelijk lager',
  within: 'binnen de grenzen',
};

/** A sheet with a bold, wrapping, frozen header row; numbers as numbers, shares as percent cells. */
function addTable(wb: ExcelJS.Workbook, name: string, title: string, columns: Column[], rows: ExportCell[][]) {
  const sheet = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.getCell('A1').value = title;
  sheet.getCell('A1').font = { bold: true, size: 13 };
  const head = sheet.getRow(2);
  columns.forEach((c, i) => {
    head.getCell(i + 1).value = c.label;
    sheet.getColumn(i + 1).width = c.width ?? (i === 0 ? 26 : Math.max(12, Math.min(22, c.label.length / 2 + 6)));
    const fmt = NUM_FMT[c.kind];
    if (fmt) sheet.getColumn(i + 1).numFmt = fmt;
  });
  head.font = { bold: true };
  head.alignment = { wrapText: true, vertical: 'top' };
  head.height = 45;
  for (const r of rows)
    sheet.addRow(r.map((v, i) => (v === null ? null : columns[i]?.kind === 'yesno' ? (v ? 'ja' : 'nee') : v)));
  return sheet;
}

const cell = (v: unknown): ExportCell =>
  v === undefined || v === null ? null : typeof v === 'object' ? null : (v as ExportCell);

/**
 * A sheet of an answer grouped by municipality: name, CBS code, the registry's columns of the metric,
 * "Te weinig cliënten"; one row per municipality, then the total.
 */
function municipalitySheet(
  wb: ExcelJS.Workbook,
  name: string,
  endpoint: AnalyticsEndpoint,
  a: ExportAnswer,
  names: ReadonlyMap<string, string>,
  extra: { label: string; kind: ColumnKind; read: (r: Record<string, unknown>) => ExportCell }[] = [],
) {
  const cols = METRICS[endpoint].columns(a);
  const columns: Column[] = [
    { label: FRAME_COLUMNS['municipalityName'].label, kind: 'text' },
    { label: FRAME_COLUMNS['municipality'].label, kind: 'text', width: 11 },
    ...cols.map((c) => ({ label: c.label, kind: c.kind })),
    ...extra.map((e) => ({ label: e.label, kind: e.kind })),
    { label: FRAME_COLUMNS['suppressed'].label, kind: 'yesno' as const },
  ];
  const line = (label: string, code: string | null, r: Record<string, unknown>): ExportCell[] => [
    label,
    code,
    ...cols.map((c) => cell(c.read(r))),
    ...extra.map((e) => e.read(r)),
    !!r['suppressed'],
  ];
  const rows = [...a.rows]
    .sort((x, y) =>
      (names.get(String(x['municipality'])) ?? '').localeCompare(names.get(String(y['municipality'])) ?? '', 'nl'),
    )
    .map((r) => line(names.get(String(r['municipality'])) ?? String(r['municipality']), String(r['municipality']), r));
  rows.push(line('Totaal (alle gemeenten samen)', null, a.total));
  // "Vergelijk met": the comparison group's total as one more row.
  if (a.reference) rows.push(line(`Vergelijkingsgroep: ${a.reference.group.name}`, null, a.reference.total));
  addTable(wb, name, `${METRICS[endpoint].title}: ${METRICS[endpoint].definition}`, columns, rows);
}

export async function reportWorkbook(input: ReportInput): Promise<Buffer> {
  const { answers: a, names, stepLabels } = input;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Klantmonitor';
  wb.created = input.computedAt ? new Date(input.computedAt) : new Date();
  const step = stepLabels[input.step];
  const stepWithin = `${step} binnen ${input.withinDays} dagen`;

  const sum = reportSummary({ ...input, clientTypes: input.clientTypes ?? [] });
  const { verdicts, speed } = sum;
  const att = a['attainment'];

  // 1. Summary: the tiles, the sentence, the funnel verdicts.
  addTable(
    wb,
    'Samenvatting',
    `Gemeenten vergelijken: ${input.organisation}`,
    [
      { label: 'Onderwerp', kind: 'text', width: 44 },
      { label: 'Jullie gemeenten', kind: 'text', width: 18 },
      { label: 'Landelijk', kind: 'text', width: 18 },
    ],
    [],
  );
  const summary = wb.getWorksheet('Samenvatting') as ExcelJS.Worksheet;
  for (const t of sum.tiles) {
    const row = summary.addRow([t.label, t.own, t.national]);
    const fmt = t.kind === 'share' ? '0.0%' : t.kind === 'int' ? '0' : '0.0';
    row.getCell(2).numFmt = fmt;
    row.getCell(3).numFmt = fmt;
  }
  summary.addRow([]);
  for (const [label, text] of [
    ['Antwoord in het kort', sum.sentence],
    [`Duidelijk hoger dan het totaal (${stepWithin})`, sum.higher],
    [`Duidelijk lager dan het totaal (${stepWithin})`, sum.lower],
    ['Cijfers van', dutchMoment(input.computedAt)],
  ]) {
    const row = summary.addRow([label, text]);
    summary.mergeCells(row.number, 2, row.number, 3);
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    row.getCell(1).font = { bold: true };
    row.height = Math.max(15, Math.ceil(text.length / 40) * 15);
  }

  // 2. Municipalities side by side, with the funnel verdict.
  if (att)
    municipalitySheet(wb, 'Gemeenten', 'step-attainment', att, names, [
      {
        label: 'Oordeel (trechterdiagram)',
        kind: 'text',
        read: (r) => {
          const v = verdicts.get(String(r['municipality']));
          return v ? VERDICT_NL[v] : null;
        },
      },
    ]);

  // 3. Speed per municipality, fastest first (as the page's table).
  addTable(
    wb,
    'Snelheid per gemeente',
    `Snelheid per gemeente: ${step}. Mediaan: na hoeveel dagen de helft van de cliënten de stap had bereikt.`,
    [
      { label: 'Gemeente', kind: 'text' },
      { label: 'CBS-code', kind: 'text', width: 11 },
      { label: 'Cliënten', kind: 'int' },
      { label: 'Mediaan (dagen)', kind: 'int' },
      { label: 'Mediaan: 95%-interval ondergrens (dagen)', kind: 'int' },
      { label: 'Mediaan: 95%-interval bovengrens (dagen, leeg: langer dan gevolgd)', kind: 'int', width: 22 },
      { label: `Binnen ${input.withinDays} dagen (aandeel)`, kind: 'share' },
      { label: '95%-interval ondergrens', kind: 'share' },
      { label: '95%-interval bovengrens', kind: 'share' },
      { label: 'Te weinig cliënten', kind: 'yesno' },
    ],
    speed.map((r) => [
      r.name,
      r.municipality,
      r.n,
      r.median,
      r.medianLow,
      r.medianHigh,
      r.share,
      r.shareLow,
      r.shareHigh,
      r.suppressed,
    ]),
  );

  // 4. The ladder: each step within N days per client type.
  const ladder = LADDER_STEPS.map((s) => a[`ladder:${s}`]);
  if (ladder.every(Boolean)) {
    const types = [...new Set(ladder.flatMap((l) => (l as ExportAnswer).rows.map((r) => String(r['clientType']))))];
    const share = (l: ExportAnswer, t: string | null) => {
      const r = t === null ? l.total : l.rows.find((x) => x['clientType'] === t);
      return r && !r['suppressed'] ? cell(r['share']) : null;
    };
    addTable(
      wb,
      'Stappen per soort cliënt',
      `Stappen binnen ${input.withinDays} dagen, per soort cliënt (aandeel; leeg: te weinig cliënten)`,
      [
        { label: 'Soort cliënt', kind: 'text' },
        ...LADDER_STEPS.map((s) => ({ label: stepLabels[s], kind: 'share' as const })),
      ],
      [
        ...types.map((t) => [typeName(t), ...ladder.map((l) => share(l as ExportAnswer, t))]),
        ['Alle cliënten', ...ladder.map((l) => share(l as ExportAnswer, null))],
      ],
    );
  }

  // 5. Time to the step per client type (the curve at fixed days).
  if (a['time']) groupedSheet(wb, 'Tijd tot stap', `Tijd tot "${step}"`, 'time-to-step', a['time'], 'clientType');

  // 6. Dropout per municipality, by phase.
  if (a['dropout']) municipalitySheet(wb, 'Uitval per fase', 'dropout', a['dropout'], names);

  // 6b. Waiting time and the legal term per municipality (#26).
  if (a['waiting']) municipalitySheet(wb, 'Wachttijd', 'waiting-time', a['waiting'], names);

  // 7. Experience per phase: every question, per client type.
  const expRows: ExportCell[][] = [];
  for (const item of input.items) {
    const e = a[`experience:${item.code}`];
    if (!e) continue;
    for (const r of e.rows)
      expRows.push([
        item.text,
        typeName(String(r['clientType'])),
        stepLabels[r['phase'] as never] ?? null,
        cell(r['n']),
        r['suppressed'] ? null : cell(r['mean']),
        !!r['suppressed'],
      ]);
    for (const r of (e.total['byPhase'] as Record<string, unknown>[]) ?? [])
      expRows.push([
        item.text,
        'Alle cliënten',
        stepLabels[r['phase'] as never] ?? null,
        cell(r['n']),
        r['suppressed'] ? null : cell(r['mean']),
        !!r['suppressed'],
      ]);
  }
  addTable(
    wb,
    'Ervaring per fase',
    `${METRICS.experience.title}: ${METRICS.experience.definition}`,
    [
      { label: 'Vraag', kind: 'text', width: 40 },
      { label: 'Soort cliënt', kind: 'text' },
      { label: 'Fase', kind: 'text', width: 24 },
      { label: 'Antwoorden', kind: 'int' },
      { label: 'Gemiddelde score (1 tot 5)', kind: 'number' },
      { label: 'Te weinig antwoorden', kind: 'yesno' },
    ],
    expRows,
  );

  // 8. Support and results per municipality.
  if (a['support'])
    municipalitySheet(wb, 'Ondersteuning', 'support', a['support'], names, [
      {
        label: `${stepWithin} (aandeel)`,
        kind: 'share',
        read: (r) => {
          const m = att?.rows.find((x) => x['municipality'] === r['municipality']);
          return m && !m['suppressed'] ? cell(m['share']) : null;
        },
      },
    ]);

  // 9. The trend per period, with intervals; a period with too few clients stays empty.
  const ta = a['trendAttainment'];
  const td = a['trendDropout'];
  if (ta && td) {
    const periods = [...new Set([...ta.rows, ...td.rows].map((r) => String(r['period'])))].sort();
    const of = (x: ExportAnswer, p: string, f: string) => {
      const r = x.rows.find((y) => y['period'] === p);
      return r && !r['suppressed'] ? cell(r[f]) : null;
    };
    addTable(
      wb,
      'Ontwikkeling',
      'Ontwikkeling per periode van het eerste contact (leeg: te weinig cliënten in die periode)',
      [
        { label: 'Periode', kind: 'text', width: 12 },
        { label: stepWithin, kind: 'share' },
        { label: '95%-interval ondergrens', kind: 'share' },
        { label: '95%-interval bovengrens', kind: 'share' },
        { label: 'Uitval', kind: 'share' },
        { label: 'Uitval: 95%-interval ondergrens', kind: 'share' },
        { label: 'Uitval: 95%-interval bovengrens', kind: 'share' },
      ],
      periods.map((p) => [
        p,
        of(ta, p, 'share'),
        of(ta, p, 'ciLow'),
        of(ta, p, 'ciHigh'),
        of(td, p, 'share'),
        of(td, p, 'ciLow'),
        of(td, p, 'ciHigh'),
      ]),
    );
  }

  // 10. Toelichting in sentences.
  const notes = wb.addWorksheet('Toelichting');
  notes.getColumn(1).width = 30;
  notes.getColumn(2).width = 110;
  const para = (label: string, text: string) => {
    const row = notes.addRow([label, text]);
    row.getCell(1).font = { bold: true };
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    row.height = Math.max(15, Math.ceil(text.length / 100) * 15);
  };
  notes.addRow(['Toelichting']).font = { bold: true, size: 13 };
  para(
    'Waar gaat dit over',
    `Dit bestand hoort bij de pagina "Gemeenten vergelijken" van Klantmonitor, gemaakt door ${input.organisation} op ${input.generatedOn}. De cijfers zijn van ${dutchMoment(input.computedAt)}.`,
  );
  para('Filters', input.filterLines.map(([label, value]) => `${label}: ${value}`).join('. ') + '.');
  para('Kleine groepen', smallCellNote(input.minCell));
  para(
    'Betrouwbaarheid',
    'Bij een aandeel hoort een 95%-interval: het echte aandeel ligt waarschijnlijk tussen de ondergrens en de bovengrens. Het trechterdiagram noemt een gemeente "duidelijk hoger" of "duidelijk lager" als het verschil met het totaal groter is dan toeval (buiten de 99,8%-grens).',
  );
  for (const m of Object.values(METRICS)) para(m.title, m.definition);
  notes.addRow([]);
  notes.addRow(['Kolom', 'Betekenis']).font = { bold: true };
  const seen = new Set<string>();
  for (const m of Object.values(METRICS))
    for (const c of m.columns({ query: {}, rows: [{ expected: 0 }], total: {} })) {
      const key = c.label.replace(/\d+/g, 'N');
      if (seen.has(key)) continue;
      seen.add(key);
      para(c.label, c.definition);
    }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A sheet of an answer grouped by client type: the registry's columns of the metric per type, then all. */
function groupedSheet(
  wb: ExcelJS.Workbook,
  name: string,
  title: string,
  endpoint: AnalyticsEndpoint,
  a: ExportAnswer,
  key: 'clientType',
) {
  const cols = METRICS[endpoint].columns(a);
  addTable(
    wb,
    name,
    `${title}: ${METRICS[endpoint].definition}`,
    [
      { label: FRAME_COLUMNS[key].label, kind: 'text' },
      ...cols.map((c) => ({ label: c.label, kind: c.kind })),
      { label: FRAME_COLUMNS['suppressed'].label, kind: 'yesno' as const },
    ],
    [
      ...a.rows.map((r) => [typeName(String(r[key])), ...cols.map((c) => cell(c.read(r))), !!r['suppressed']]),
      ['Alle cliënten', ...cols.map((c) => cell(c.read(a.total))), !!a.total['suppressed']],
    ],
  );
}

const typeName = (t: string) => (t === 'unknown' ? 'onbekend (niet getypeerd)' : t);
