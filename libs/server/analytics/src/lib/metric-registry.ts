/**
 * One definition per metric (issue #24): its cells (one aggregate function of PostgreSQL), its
 * figures (the pure function of shared/metrics), its small-cell rule, its title and definition in
 * plain Dutch, and the columns an export writes (JSON name for the machine CSV, Dutch label for the
 * people's XLSX and PDF, the kind of number, and what the column means). The answers, the exports,
 * the report and the documentation tests read this; adding a metric is an entry here, its pure
 * function in shared/metrics, its chart, and its tests.
 */
import type { EntityManager } from 'typeorm';
import {
  STEP_CODES,
  STEP_LABELS_NL,
  SUPPORT_TYPES,
  SUPPORT_TYPE_LABELS_NL,
  type DropoutRow,
  type ExperienceRow,
  type ResponseRateRow,
  type StepAttainmentRow,
  type SupportRow,
  type TimeToStepRow,
  type WaitingTimeRow,
} from '@klantmonitor/shared/domain';
import {
  DEFAULT_CURVE_DAYS,
  dropout,
  experience,
  responseRate,
  stepAttainment,
  support,
  suppressAttainmentAnswer,
  suppressDropoutAnswer,
  suppressExperienceAnswer,
  suppressResponseRateAnswer,
  suppressSupportAnswer,
  suppressTimeToStepAnswer,
  timeToStep,
  waitingTime,
  suppressWaitingTimeAnswer,
  type Grouping,
  type MinCellFor,
} from '@klantmonitor/shared/metrics';
import type { AnalyticsEndpoint, AnalyticsQuery } from './analytics-query';
import {
  attainmentCells,
  dropoutCells,
  experienceCellsOf,
  responseRateCellsOf,
  supportCells,
  timeCells,
  waitingCells,
} from './cells';

/** How a column is written: shares get a percent format in XLSX; counts stay whole. */
export type ColumnKind = 'text' | 'int' | 'number' | 'share' | 'yesno';

export interface MetricColumn {
  /** The JSON name (`share`, `byPhase.goal_known`): the machine-readable CSV's header. */
  name: string;
  /** The Dutch header of the people's XLSX and the PDF. */
  label: string;
  kind: ColumnKind;
  /** What the column means, in plain Dutch (B1): the "Toelichting" of every file. */
  definition: string;
  read: (row: Record<string, unknown>) => unknown;
}

/** An answer as an export reads it: the resolved query and the rows as the JSON sends them. */
export interface AnswerForColumns {
  query: Record<string, unknown>;
  rows: object[];
  total: object;
}

export interface MetricDefinition {
  /** The Dutch title of the metric (file sheets, report sections). */
  title: string;
  /** One or two sentences: what the figure is (docs/metrics.md has the exact definition). */
  definition: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  cells: (em: EntityManager, q: AnalyticsQuery) => Promise<any[]>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  compute: (cells: any[], g: Grouping, q: AnalyticsQuery) => { rows: object[]; total: unknown };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  suppress: (answer: any, f: MinCellFor, secondary?: boolean) => { rows: object[]; total: unknown };
  /** The figure columns of an answer (the group columns come first, `suppressed` last: exportTable). */
  columns: (answer: AnswerForColumns) => MetricColumn[];
}

type Row = Record<string, unknown>;
const plain = (name: string, label: string, kind: ColumnKind, definition: string): MetricColumn => ({
  name,
  label,
  kind,
  definition,
  read: (r) => r[name],
});
const nested = (parent: string, key: string, label: string, kind: ColumnKind, definition: string): MetricColumn => ({
  name: `${parent}.${key}`,
  label,
  kind,
  definition,
  read: (r) => (r[parent] as Row | null)?.[key] ?? null,
});

const SHARE = 'Aandeel: het aantal gedeeld door het totaal van de groep (0,55 = 55%).';
const CI_LOW =
  'Ondergrens van het 95%-betrouwbaarheidsinterval (Wilson). Het echte aandeel ligt waarschijnlijk tussen ondergrens en bovengrens.';
const CI_HIGH = 'Bovengrens van het 95%-betrouwbaarheidsinterval (Wilson).';
const shares = (shareLabel = 'Aandeel'): MetricColumn[] => [
  plain('share', shareLabel, 'share', SHARE),
  plain('ciLow', '95%-interval ondergrens', 'share', CI_LOW),
  plain('ciHigh', '95%-interval bovengrens', 'share', CI_HIGH),
];

export const METRICS: Record<AnalyticsEndpoint, MetricDefinition> = {
  'step-attainment': {
    title: 'Stap bereikt binnen een aantal dagen',
    definition:
      'Van de cliënten die lang genoeg in beeld zijn: hoeveel bereikten de stap binnen het gekozen aantal dagen na het eerste contact.',
    cells: attainmentCells,
    compute: (c, g) => stepAttainment(c, g),
    suppress: suppressAttainmentAnswer,
    columns: (a) => {
      const caseMix = [a.total, ...a.rows].some((r) => 'expected' in r);
      return [
        plain(
          'eligible',
          'Cliënten',
          'int',
          'Cliënten die lang genoeg in beeld zijn: hun eerste contact was minstens het aantal dagen vóór de peildatum.',
        ),
        plain(
          'reached',
          'Bereikt',
          'int',
          'Hoeveel van hen de stap binnen dat aantal dagen bereikten. Een latere stap telt ook voor de eerdere stappen.',
        ),
        ...shares(),
        ...(caseMix
          ? [
              plain(
                'expected',
                'Verwacht',
                'number',
                'Verwacht aantal dat de stap bereikt, gezien de soorten cliënten van deze gemeente (eerlijke vergelijking).',
              ),
              plain(
                'oe',
                'Bereikt / verwacht',
                'number',
                'Bereikt gedeeld door verwacht. Boven 1: beter dan je met deze cliënten zou verwachten.',
              ),
            ]
          : []),
      ];
    },
  },
  dropout: {
    title: 'Uitval',
    definition:
      'Hoeveel cliënten uitvielen vóór of op de peildatum, en in welke fase: de laatste stap die ze hadden bereikt.',
    cells: dropoutCells,
    compute: (c, g) => dropout(c, g),
    suppress: suppressDropoutAnswer,
    columns: () => [
      plain('n', 'Cliënten', 'int', 'Aantal cliënten in de groep.'),
      plain('dropped', 'Uitgevallen', 'int', 'Cliënten die zijn uitgevallen vóór of op de peildatum.'),
      ...shares('Uitval'),
      ...STEP_CODES.map((s) =>
        nested(
          'byPhase',
          s,
          `Uitgevallen na: ${STEP_LABELS_NL[s].toLowerCase()}`,
          'int',
          'Uitval in deze fase: de laatste stap die de cliënt had bereikt toen hij uitviel.',
        ),
      ),
      plain(
        'momentOfTruth',
        'Deel direct na eerste contact',
        'share',
        'Deel van de uitval direct na het eerste contact, nog vóór een volgende stap ("moment van de waarheid").',
      ),
    ],
  },
  'time-to-step': {
    title: 'Tijd tot een stap',
    definition:
      'Na hoeveel dagen de helft van de cliënten de stap had bereikt (mediaan), met het 95%-interval; uitval telt als "niet meer bereikbaar".',
    cells: timeCells,
    compute: (c, g, q) => timeToStep(c, g, q.days ?? DEFAULT_CURVE_DAYS),
    suppress: suppressTimeToStepAnswer,
    columns: (a) => {
      const days = (a.query['days'] as number[] | undefined) ?? DEFAULT_CURVE_DAYS;
      return [
        plain('n', 'Cliënten', 'int', 'Aantal cliënten in de groep.'),
        plain(
          'medianDays',
          'Mediaan (dagen)',
          'int',
          'Na hoeveel dagen de helft van de cliënten de stap had bereikt. Leeg: de helft is (nog) niet gehaald.',
        ),
        plain(
          'medianCiLow',
          'Mediaan: 95%-interval ondergrens (dagen)',
          'int',
          'De eerste dag waarop de bovengrens van het 95%-interval van de curve de helft haalt.',
        ),
        plain(
          'medianCiHigh',
          'Mediaan: 95%-interval bovengrens (dagen)',
          'int',
          'De eerste dag waarop de ondergrens van het 95%-interval van de curve de helft haalt. Leeg: langer dan de gevolgde periode.',
        ),
        ...days.map((day) => ({
          name: `curve.${day}`,
          label: `Bereikt na ${day} dagen`,
          kind: 'share' as const,
          definition:
            'Deel van de cliënten dat de stap na dit aantal dagen had bereikt (uitval telt als "niet meer bereikbaar").',
          read: (r: Row) =>
            (r['curve'] as { day: number; cif: number }[] | null)?.find((p) => p.day === day)?.cif ?? null,
        })),
      ];
    },
  },
  experience: {
    title: 'Ervaring van cliënten per fase',
    definition:
      'Gemiddelde score (1 tot 5) op een vraag van de vragenlijst, per fase waarin de cliënt was toen hij de vragenlijst invulde.',
    cells: experienceCellsOf,
    compute: (c, g) => experience(c, g),
    suppress: suppressExperienceAnswer,
    columns: () => [
      plain('n', 'Antwoorden', 'int', 'Aantal ingevulde vragenlijsten met een antwoord op deze vraag.'),
      plain('mean', 'Gemiddelde score (1 tot 5)', 'number', 'Gemiddelde score op een schaal van 1 tot 5.'),
    ],
  },
  support: {
    title: 'Ondersteuning in de eerste 90 dagen',
    definition: 'Welke ondersteuning cliënten kregen in de eerste 90 dagen na het eerste contact, en hoeveel minuten.',
    cells: supportCells,
    compute: (c, g) => support(c, g),
    suppress: suppressSupportAnswer,
    columns: () => [
      plain('n', 'Cliënten', 'int', 'Cliënten van wie de eerste 90 dagen voorbij zijn.'),
      plain(
        'withAdministrative',
        'Met administratieve hulp',
        'int',
        'Cliënten met administratieve ondersteuning in de eerste 90 dagen.',
      ),
      plain(
        'administrativeShare',
        'Aandeel met administratieve hulp',
        'share',
        'Aandeel cliënten met administratieve ondersteuning in de eerste 90 dagen.',
      ),
      plain('ciLow', '95%-interval ondergrens', 'share', CI_LOW),
      plain('ciHigh', '95%-interval bovengrens', 'share', CI_HIGH),
      ...SUPPORT_TYPES.map((t) =>
        nested(
          'meanMinutes',
          t,
          `Minuten per cliënt: ${SUPPORT_TYPE_LABELS_NL[t].toLowerCase()}`,
          'number',
          'Gemiddeld aantal minuten ondersteuning van deze soort in de eerste 90 dagen, per cliënt.',
        ),
      ),
    ],
  },
  'response-rate': {
    title: 'Respons op vragenlijsten',
    definition: 'Hoeveel verstuurde vragenlijsten op tijd zijn ingevuld.',
    cells: responseRateCellsOf,
    compute: (c, g) => responseRate(c, g),
    suppress: suppressResponseRateAnswer,
    columns: () => [
      plain('sent', 'Verstuurd', 'int', 'Verstuurde vragenlijsten.'),
      plain('completed', 'Ingevuld', 'int', 'Vragenlijsten die op tijd zijn ingevuld.'),
      ...shares('Respons'),
      plain('open', 'Nog open', 'int', 'Verstuurde vragenlijsten die nog ingevuld kunnen worden.'),
    ],
  },
  'waiting-time': {
    title: 'Wachttijd tot het eerste gesprek',
    definition:
      'Hoe lang cliënten wachten van hun aanmelding tot het eerste gesprek (mediaan, met 95%-interval), en hoeveel er binnen de wettelijke termijn zijn gezien: 4 weken, of 3 werkdagen bij een crisis.',
    cells: waitingCells,
    compute: (c, g) => waitingTime(c, g),
    suppress: suppressWaitingTimeAnswer,
    columns: () => [
      plain('n', 'Aanmeldingen', 'int', 'Aanmeldingen (hulpvragen) in de periode, op de dag van aanmelding.'),
      plain('seen', 'Gezien', 'int', 'Van hen: met een eerste gesprek vóór of op de peildatum.'),
      plain(
        'medianDays',
        'Wachttijd, mediaan (dagen)',
        'int',
        'Na hoeveel dagen de helft van de aanmeldingen een eerste gesprek had. Wie nog wacht, telt mee tot de peildatum. Leeg: de helft is (nog) niet gezien.',
      ),
      plain(
        'medianCiLow',
        'Wachttijd: 95%-interval ondergrens (dagen)',
        'int',
        'De eerste dag waarop de bovengrens van het 95%-interval de helft haalt.',
      ),
      plain(
        'medianCiHigh',
        'Wachttijd: 95%-interval bovengrens (dagen)',
        'int',
        'De eerste dag waarop de ondergrens van het 95%-interval de helft haalt. Leeg: langer dan de gevolgde periode.',
      ),
      plain(
        'termDue',
        'Termijn verstreken',
        'int',
        'Aanmeldingen van wie de wettelijke termijn vóór of op de peildatum afliep.',
      ),
      plain('termMet', 'Op tijd gezien', 'int', 'Van hen: gezien vóór of op de laatste dag van de termijn.'),
      plain(
        'withinTerm',
        'Binnen de wettelijke termijn',
        'share',
        'Op tijd gezien gedeeld door termijn verstreken. Leeg als minder aanmeldingen dan de kleine-aantallengrens hun termijn voorbij zijn.',
      ),
      plain('withinTermCiLow', 'Binnen de termijn: 95%-interval ondergrens', 'share', CI_LOW),
      plain('withinTermCiHigh', 'Binnen de termijn: 95%-interval bovengrens', 'share', CI_HIGH),
      plain(
        'crisisShare',
        'Aandeel met crisis',
        'share',
        'Deel van de aanmeldingen met een crisis (dreigende huisuitzetting, afsluiting van energie of water, zorgverzekering beëindigd).',
      ),
    ],
  },
};

/** The columns around the figures: the level, the group fields, and whether a row is suppressed. */
export const FRAME_COLUMNS: Record<string, Omit<MetricColumn, 'read' | 'name'>> = {
  niveau: {
    label: 'Niveau',
    kind: 'text',
    definition: '"rij" is één groep (bijvoorbeeld één gemeente). "totaal" is alles samen: de vergelijking.',
  },
  municipality: { label: 'CBS-code', kind: 'text', definition: 'CBS-code van de gemeente.' },
  municipalityName: { label: 'Gemeente', kind: 'text', definition: 'Naam van de gemeente.' },
  clientType: {
    label: 'Soort cliënt',
    kind: 'text',
    definition:
      'Soort cliënt bij de intake (de eerste typering binnen 30 dagen na het eerste contact). "onbekend": niet getypeerd.',
  },
  period: { label: 'Periode', kind: 'text', definition: 'Maand of kwartaal van het eerste contact.' },
  phase: { label: 'Fase', kind: 'text', definition: 'De stap waar de cliënt was toen hij de vragenlijst invulde.' },
  suppressed: {
    label: 'Te weinig cliënten',
    kind: 'yesno',
    definition: '"ja": te weinig cliënten om cijfers te laten zien. De cijfers zijn dan leeg, niet 0.',
  },
};

/** The row types of shared/domain per endpoint: what an answer's rows are, end to end. */
export interface MetricRows {
  'step-attainment': StepAttainmentRow;
  dropout: DropoutRow;
  'time-to-step': TimeToStepRow;
  experience: ExperienceRow;
  support: SupportRow;
  'response-rate': ResponseRateRow;
  'waiting-time': WaitingTimeRow;
}
