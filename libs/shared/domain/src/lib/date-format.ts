/**
 * One date format per purpose (#25), for every page, file and message:
 * - `table`: 6-12-2026 (tables, lists, short notes)
 * - `sentence`: 6 december 2026 (running text)
 * - `time`: 04:20 (24 hours)
 * - `dateTime`: 6-12-2026 04:20
 * A calendar date (YYYY-MM-DD) is taken as it is; a moment (an ISO timestamp or a Date) is shown as
 * the day and time in the Netherlands, whatever the computer's own time zone.
 */
export type DatePurpose = 'table' | 'sentence' | 'time' | 'dateTime';

const MONTHS = {
  nl: [
    'januari',
    'februari',
    'maart',
    'april',
    'mei',
    'juni',
    'juli',
    'augustus',
    'september',
    'oktober',
    'november',
    'december',
  ],
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
} as const;

const AMSTERDAM = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

interface Parts {
  y: number;
  m: number;
  d: number;
  hh: string | null;
  mm: string | null;
}

function parts(value: string | Date): Parts | null {
  if (typeof value === 'string') {
    const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (day) return { y: Number(day[1]), m: Number(day[2]), d: Number(day[3]), hh: null, mm: null };
  }
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return null;
  const p = Object.fromEntries(AMSTERDAM.formatToParts(date).map((x) => [x.type, x.value]));
  return { y: Number(p['year']), m: Number(p['month']), d: Number(p['day']), hh: p['hour'], mm: p['minute'] };
}

/** A date or moment for people, in the form its purpose asks; '' for nothing or nonsense. */
export function formatDate(
  value: string | Date | null | undefined,
  purpose: DatePurpose = 'table',
  lang: 'nl' | 'en' = 'nl',
): string {
  if (value === null || value === undefined || value === '') return '';
  const p = parts(value);
  if (!p) return '';
  const table = `${p.d}-${p.m}-${p.y}`;
  const time = p.hh === null ? '' : `${p.hh}:${p.mm}`;
  switch (purpose) {
    case 'sentence':
      return `${p.d} ${MONTHS[lang][p.m - 1]} ${p.y}`;
    case 'time':
      return time;
    case 'dateTime':
      return time ? `${table} ${time}` : table;
    default:
      return table;
  }
}
