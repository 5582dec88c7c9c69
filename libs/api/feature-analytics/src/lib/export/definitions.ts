/**
 * What exported columns mean, in plain Dutch (B1), for the report's definitions: read from the metric
 * registry (server/analytics METRICS, FRAME_COLUMNS), the one place a column is defined.
 */
import { FRAME_COLUMNS, METRICS, type AnalyticsEndpoint } from '@klantmonitor/server/analytics';

export const ENDPOINT_TITLES = Object.fromEntries(Object.entries(METRICS).map(([k, m]) => [k, m.title])) as Record<
  AnalyticsEndpoint,
  string
>;

/** The definition of a column by its JSON name (first metric that has it), or ''. */
export function columnDefinition(name: string): string {
  if (FRAME_COLUMNS[name]) return FRAME_COLUMNS[name].definition;
  for (const m of Object.values(METRICS)) {
    const c = m
      .columns({ query: {}, rows: [{ expected: 0 }], total: {} })
      .find((x) => x.name === name || (x.name.includes('.') && name.startsWith(x.name.split('.')[0] + '.')));
    if (c) return c.definition;
  }
  return '';
}

/** The small-cell note of every export (docs/metrics.md "Grouping, suppression"). */
export function smallCellNote(minCell: number): string {
  return `Groepen met minder dan ${minCell} cliënten laten we niet zien: dan zou iemand te herkennen kunnen zijn. Hun cijfers zijn leeg (niet 0). Cijfers van andere organisaties zie je altijd pas vanaf 10 cliënten, per kwartaal, per jaar of over de laatste vier kwartalen, met de stand van vandaag. Zo kan niemand ze terugrekenen naar een enkele cliënt. Daarom zijn soms ook groepen van 10 of meer cliënten leeg: anders zou je een lege groep kunnen uitrekenen.`;
}
