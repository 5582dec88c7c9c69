/**
 * Calendar dates as 'YYYY-MM-DD' strings (docs/metrics.md, Dates). Strings compare correctly as text and
 * never shift with time zones; "today" is the date in Europe/Amsterdam.
 */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The earliest date a trajectory's facts may carry (first contact, steps, support, services, close,
 * dropout, intake): older is a typing error (1-1-1900), never a client of this system (docs/api.md).
 */
export const EARLIEST_DATE: IsoDate = '2000-01-01';

/** A real calendar date in strict YYYY-MM-DD form (2025-02-30 is not). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && y >= 1900;
}

const dayNumber = (d: IsoDate) =>
  Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date((dayNumber(date) + days) * 86_400_000).toISOString().slice(0, 10);
}

const AMSTERDAM = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The last date formatted and the UTC hour it holds for. */
let lastToday: { hour: number; date: IsoDate } | null = null;

/**
 * Today's calendar date in the Netherlands. Amsterdam is a whole number of hours from UTC (CET,
 * CEST), so its date changes only on a UTC hour: formatted once per hour (an Intl format costs
 * ~20 us, and every caseload page asks, #26).
 */
export function todayInAmsterdam(now: Date = new Date()): IsoDate {
  const hour = Math.floor(now.getTime() / 3_600_000);
  if (lastToday?.hour !== hour) lastToday = { hour, date: AMSTERDAM.format(now) };
  return lastToday.date;
}
