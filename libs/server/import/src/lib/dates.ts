/**
 * A date cell: YYYY-MM-DD (the contract), or the Dutch d-m-yyyy / d/m/yyyy that many exports use.
 * Returns the ISO date, null for an empty cell, or undefined when it is not a real date.
 */
export function parseDateCell(text: string): string | null | undefined {
  const t = text.trim();
  if (t === '') return null;
  if (isIsoDate(t)) return t;
  const m = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$/.exec(t);
  if (m) {
    const iso = `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
    if (isIsoDate(iso)) return iso;
  }
  return undefined;
}
import { isIsoDate } from '@klantmonitor/shared/domain';
