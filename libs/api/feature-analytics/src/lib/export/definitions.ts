/**
 * What each exported column means, in plain Dutch (B1): the "Toelichting" sheet of the XLSX and the
 * definitions of the PDF report. The exact definitions are in docs/analytics.md; these say the same
 * for someone who opens the file in a meeting.
 */
import type { AnalyticsEndpoint } from '@klantmonitor/server/analytics';

export const ENDPOINT_TITLES: Record<AnalyticsEndpoint, string> = {
  'step-attainment': 'Stap bereikt binnen een aantal dagen',
  dropout: 'Uitval',
  'time-to-step': 'Tijd tot een stap',
  experience: 'Ervaring van cliënten per fase',
  support: 'Ondersteuning in de eerste 90 dagen',
  'response-rate': 'Respons op vragenlijsten',
};

const COLUMN_DEFINITIONS: Record<string, string> = {
  niveau: '"rij" is één groep (bijvoorbeeld één gemeente). "totaal" is alles samen: de vergelijking.',
  municipality: 'CBS-code van de gemeente.',
  municipalityName: 'Naam van de gemeente.',
  clientType:
    'Soort cliënt bij de intake (de eerste typering binnen 30 dagen na het eerste contact). "unknown" = niet getypeerd.',
  period: 'Maand of kwartaal van het eerste contact.',
  phase: 'De stap waar de cliënt was toen hij de vragenlijst invulde.',
  eligible:
    'Cliënten die lang genoeg in beeld zijn: hun eerste contact was minstens het aantal dagen vóór de peildatum.',
  reached:
    'Hoeveel van hen de stap binnen dat aantal dagen bereikten. Een latere stap telt ook voor de eerdere stappen.',
  share: 'Aandeel: het aantal gedeeld door het totaal van de groep (0,55 = 55%).',
  ciLow:
    'Ondergrens van het 95%-betrouwbaarheidsinterval (Wilson). Het echte aandeel ligt waarschijnlijk tussen ondergrens en bovengrens.',
  ciHigh: 'Bovengrens van het 95%-betrouwbaarheidsinterval (Wilson).',
  expected:
    'Verwacht aantal dat de stap bereikt, gezien de soorten cliënten van deze gemeente (eerlijke vergelijking).',
  oe: 'Bereikt gedeeld door verwacht. Boven 1: beter dan je met deze cliënten zou verwachten.',
  n: 'Aantal cliënten (of antwoorden) in de groep.',
  dropped: 'Cliënten die zijn uitgevallen vóór of op de peildatum.',
  momentOfTruth:
    'Deel van de uitval direct na het eerste contact, nog vóór een volgende stap ("moment van de waarheid").',
  medianDays: 'Na hoeveel dagen de helft van de cliënten de stap had bereikt. Leeg: de helft is (nog) niet gehaald.',
  mean: 'Gemiddelde score op een schaal van 1 tot 5.',
  withAdministrative: 'Cliënten met administratieve ondersteuning in de eerste 90 dagen.',
  administrativeShare: 'Aandeel cliënten met administratieve ondersteuning in de eerste 90 dagen.',
  sent: 'Verstuurde vragenlijsten.',
  completed: 'Vragenlijsten die op tijd zijn ingevuld.',
  open: 'Verstuurde vragenlijsten die nog ingevuld kunnen worden.',
  suppressed: '"ja": te weinig cliënten om cijfers te laten zien. De cijfers zijn dan leeg, niet 0.',
};

const PREFIX_DEFINITIONS: Record<string, string> = {
  'byPhase.': 'Uitval in deze fase: de laatste stap die de cliënt had bereikt toen hij uitviel.',
  'curve.':
    'Deel van de cliënten dat de stap na dit aantal dagen had bereikt (uitval telt als "niet meer bereikbaar").',
  'meanMinutes.': 'Gemiddeld aantal minuten ondersteuning van deze soort in de eerste 90 dagen, per cliënt.',
};

export function columnDefinition(name: string): string {
  if (COLUMN_DEFINITIONS[name]) return COLUMN_DEFINITIONS[name];
  const prefix = Object.keys(PREFIX_DEFINITIONS).find((p) => name.startsWith(p));
  return prefix ? PREFIX_DEFINITIONS[prefix] : '';
}

/** The small-cell note of every export (docs/metrics.md "Grouping, suppression"). */
export function smallCellNote(minCell: number): string {
  return `Groepen met minder dan ${minCell} cliënten laten we niet zien: dan zou iemand te herkennen kunnen zijn. Hun cijfers zijn leeg (niet 0) en "suppressed" is "ja". Cijfers van andere organisaties zie je altijd pas vanaf 10 cliënten, per kwartaal, per jaar of over de laatste vier kwartalen, met de stand van vandaag. Zo kan niemand ze terugrekenen naar een enkele cliënt. Daarom zijn soms ook groepen van 10 of meer cliënten leeg: anders zou je een lege groep kunnen uitrekenen.`;
}
