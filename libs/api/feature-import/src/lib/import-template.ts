/**
 * Files to fill in for an import (#13): the columns of one kind with an example row, as CSV (`;`,
 * UTF-8 with a byte-order mark, so Dutch Excel opens it as columns) or as XLSX with two more sheets:
 * "Uitleg" (what each column takes, in Dutch) and "Codes" (the organisation's municipalities, the
 * dropout reasons, its client types). Column names are Dutch (`cliëntnummer`); the importer also
 * takes the English ones of the API contract (`client_ref`), docs/api.md lists both.
 */
import { safeCsv } from '@klantmonitor/api/core';
import ExcelJS from 'exceljs';
import {
  DEFAULT_INTAKE_ITEMS,
  DROPOUT_REASON_LABELS_NL,
  CRISIS_KINDS,
  CRISIS_LABELS_NL,
  DROPOUT_REASONS,
  dutchImportColumn,
  STEP_CODES,
  STEP_LABELS_NL,
} from '@klantmonitor/shared/domain';

export const TEMPLATE_KINDS = ['trajectories', 'assessments', 'intake-answers'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

export interface TemplateContext {
  municipalities: { code: string; name: string }[];
  clientTypes: { code: string; name: string }[];
}

export interface TemplateColumn {
  name: string;
  required: boolean;
  /** What goes in, in plain Dutch. */
  explanation: string;
  example: string;
}

export interface TemplateFile {
  body: Buffer;
  contentType: string;
  filename: string;
}

const SCALE_NL = {
  importance: 'Hoe belangrijk: 1 (niet belangrijk) tot en met 5 (heel belangrijk), of leeg.',
  agreement: 'Eens of oneens: 1 (helemaal mee oneens) tot en met 5 (helemaal mee eens), of leeg.',
} as const;
// Dates of imports lie from 2000-01-01 up to today (docs/api.md); the Uitleg says so for every date column.
const DATE = 'een datum als 2025-01-15 (of 15-01-2025), vanaf 1-1-2000 en niet in de toekomst';
const CLIENT_REF: TemplateColumn = {
  name: 'client_ref',
  required: true,
  explanation: 'Jullie eigen cliëntnummer, nooit een BSN. Letters, cijfers en . _ - /, hooguit 64 tekens.',
  example: 'KL-0001',
};

/**
 * The columns of one kind, in file order, with an example row built from the organisation's own
 * codes, named in Dutch (#25; the importer takes the English names as well).
 */
export function templateColumns(kind: TemplateKind, ctx: TemplateContext): TemplateColumn[] {
  return englishColumns(kind, ctx).map((c) => ({ ...c, name: dutchImportColumn(c.name) }));
}

function englishColumns(kind: TemplateKind, ctx: TemplateContext): TemplateColumn[] {
  if (kind === 'trajectories') {
    return [
      {
        ...CLIENT_REF,
        explanation: `${CLIENT_REF.explanation} Staat het nummer er al, dan wordt het traject bijgewerkt.`,
      },
      {
        name: 'municipality',
        required: true,
        explanation:
          'De CBS-code van de gemeente, zoals GM0344, of precies de naam van een gemeente die jullie helpen. Zie het blad Codes.',
        example: ctx.municipalities[0]?.code ?? 'GM0344',
      },
      {
        name: 'registered_on',
        required: false,
        explanation: `De dag van de aanmelding (de hulpvraag): ${DATE}. Leeg: de dag van het eerste contact.`,
        example: '2025-01-06',
      },
      {
        name: 'crisis',
        required: false,
        explanation:
          'Leeg, of de crisis als code (zie het blad Codes): dan moet het eerste gesprek binnen 3 werkdagen zijn.',
        example: '',
      },
      ...STEP_CODES.map(
        (step): TemplateColumn =>
          step === 'first_contact'
            ? {
                name: step,
                required: false,
                explanation: `De dag van het eerste gesprek: ${DATE}. Leeg als de cliënt nog wacht op het eerste gesprek (vul dan aangemeld_op in).`,
                example: '2025-01-15',
              }
            : {
                name: step,
                required: false,
                explanation: `De dag waarop de stap "${STEP_LABELS_NL[step]}" is gezet: ${DATE}. Leeg als de stap nog niet is gezet.`,
                example: step === 'goal_known' ? '2025-02-01' : '',
              },
      ),
      {
        name: 'dropout_date',
        required: false,
        explanation: `De dag van uitval: ${DATE}. Leeg als de cliënt niet is uitgevallen.`,
        example: '',
      },
      {
        name: 'dropout_reason',
        required: false,
        explanation: 'De reden van uitval, als code (zie het blad Codes). Alleen samen met uitval_datum.',
        example: '',
      },
    ];
  }
  if (kind === 'assessments') {
    return [
      CLIENT_REF,
      {
        name: 'assessed_on',
        required: true,
        explanation: `De dag van de inschatting: ${DATE}.`,
        example: '2025-01-15',
      },
      {
        name: 'client_type',
        required: true,
        explanation: 'De code van het klanttype (zie het blad Codes). Een nieuwe code wordt een nieuw klanttype.',
        example: ctx.clientTypes[0]?.code ?? 'zelfstandige',
      },
    ];
  }
  return [
    CLIENT_REF,
    {
      name: 'answered_on',
      required: true,
      explanation: `De dag van de intake: ${DATE}.`,
      example: '2025-01-15',
    },
    ...DEFAULT_INTAKE_ITEMS.map(
      (item): TemplateColumn => ({
        name: item.code,
        required: false,
        explanation: `"${item.nl}" ${SCALE_NL[item.scale]}`,
        example: '3',
      }),
    ),
  ];
}

/** The template as CSV or XLSX. */
export async function templateFile(
  kind: TemplateKind,
  format: 'csv' | 'xlsx',
  ctx: TemplateContext,
): Promise<TemplateFile> {
  const columns = templateColumns(kind, ctx);
  const filename = `klantmonitor-voorbeeld-${kind}.${format}`;
  if (format === 'csv') {
    const text = safeCsv([columns.map((c) => c.name), columns.map((c) => c.example)], {
      delimiter: ';',
      record_delimiter: '\r\n',
      bom: true,
    });
    return {
      body: Buffer.from(text, 'utf8'),
      contentType: 'text/csv; charset=utf-8',
      filename,
    };
  }
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Klantmonitor';
  const data = wb.addWorksheet('Invullen', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  data.columns = columns.map((c) => ({
    header: c.name,
    key: c.name,
    width: Math.max(14, c.name.length + 2),
    style: { numFmt: '@' },
  }));
  data.getRow(1).font = { bold: true };
  data.addRow(columns.map((c) => c.example));

  const help = wb.addWorksheet('Uitleg');
  help.columns = [
    { header: 'Kolom', key: 'name', width: 26 },
    { header: 'Verplicht', key: 'required', width: 10 },
    { header: 'Wat vul je in', key: 'explanation', width: 100 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of columns)
    help.addRow({
      name: c.name,
      required: c.required ? 'ja' : 'nee',
      explanation: c.explanation,
    });
  help.getColumn('explanation').alignment = { wrapText: true, vertical: 'top' };

  const codes = wb.addWorksheet('Codes');
  codes.columns = [
    { header: 'Code', key: 'code', width: 26 },
    { header: 'Betekenis', key: 'meaning', width: 50 },
  ];
  codes.getRow(1).font = { bold: true };
  const section = (title: string, rows: { code: string; meaning: string }[]) => {
    codes.addRow({});
    codes.addRow({ code: title }).font = { bold: true };
    for (const r of rows) codes.addRow(r);
  };
  if (kind === 'trajectories') {
    section(
      'Gemeenten (kolom gemeente)',
      ctx.municipalities.map((m) => ({ code: m.code, meaning: m.name })),
    );
    section(
      'Redenen van uitval (kolom uitval_reden)',
      DROPOUT_REASONS.map((r) => ({
        code: r,
        meaning: DROPOUT_REASON_LABELS_NL[r],
      })),
    );
    section(
      'Crisis (kolom crisis)',
      CRISIS_KINDS.map((c) => ({ code: c, meaning: CRISIS_LABELS_NL[c] })),
    );
  } else if (kind === 'assessments') {
    section(
      'Klanttypen (kolom klanttype)',
      ctx.clientTypes.map((t) => ({ code: t.code, meaning: t.name })),
    );
  } else {
    section('Vragen over belangrijk', [
      { code: '1', meaning: 'niet belangrijk' },
      { code: '5', meaning: 'heel belangrijk' },
    ]);
    section('Stellingen', [
      { code: '1', meaning: 'helemaal mee oneens' },
      { code: '5', meaning: 'helemaal mee eens' },
    ]);
  }
  return {
    body: Buffer.from(await wb.xlsx.writeBuffer()),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    filename,
  };
}
