/**
 * The Dutch names of the import columns (#25). The importer takes either name for a column
 * (`cliëntnummer` or `client_ref`); the templates use the Dutch ones; the API's answers name a
 * column as the file did. Header names are compared after trimming, lower-casing and turning spaces
 * into underscores, so "Eerste contact" is `eerste_contact`.
 */
export const IMPORT_COLUMNS_NL = {
  client_ref: 'cliëntnummer',
  municipality: 'gemeente',
  registered_on: 'aangemeld_op',
  crisis: 'crisis',
  first_contact: 'eerste_contact',
  goal_known: 'doel_bekend',
  approach_set: 'aanpak_bepaald',
  iu_in_view: 'iu_in_beeld',
  iu_in_balance: 'iu_in_balans',
  settlement_ready: 'klaar_voor_regeling',
  dropout_date: 'uitval_datum',
  dropout_reason: 'uitval_reden',
  assessed_on: 'beoordeeld_op',
  client_type: 'klanttype',
  answered_on: 'beantwoord_op',
} as const;

export type ImportColumn = keyof typeof IMPORT_COLUMNS_NL;

/** More ways people write a Dutch column name (without the diaeresis, without the underscore). */
const MORE_NL: Record<string, ImportColumn> = {
  clientnummer: 'client_ref',
  uitvaldatum: 'dropout_date',
  uitvalreden: 'dropout_reason',
  beantwoord: 'answered_on',
  aanmelddatum: 'registered_on',
  aangemeld: 'registered_on',
};

const BY_DUTCH: ReadonlyMap<string, ImportColumn> = new Map([
  ...Object.entries(IMPORT_COLUMNS_NL).map(([en, nl]) => [nl, en as ImportColumn] as const),
  ...Object.entries(MORE_NL),
]);

/** The column a (normalised) header name means: the English name for a Dutch one, else itself. */
export function canonicalImportColumn(name: string): string {
  return BY_DUTCH.get(name) ?? name;
}

/** The Dutch name of a column (itself when it has none, like the intake items' own codes). */
export function dutchImportColumn(name: string): string {
  return (IMPORT_COLUMNS_NL as Record<string, string>)[name] ?? name;
}
