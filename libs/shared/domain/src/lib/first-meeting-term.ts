import { addDays, daysBetween, type IsoDate } from './dates';

/**
 * The legal term for the first meeting after a request for help (Wet gemeentelijke
 * schuldhulpverlening, docs/metrics.md "Waiting time and the legal first-meeting term"): 28 days
 * after the request; with a crisis, 3 working days. Working days are Monday to Friday except the
 * holidays of the Algemene termijnenwet. Pure: the worklist, the alert, the caseload and the
 * waiting-time figures all count with these functions.
 */

/** What makes a request urgent: a threatened eviction, a cut-off of energy or water, health insurance ended. */
export const CRISIS_KINDS = ['eviction', 'energy_water', 'health_insurance'] as const;
export type CrisisKind = (typeof CRISIS_KINDS)[number];

/** The crisis in plain Dutch (pages, files, the report): one source. */
export const CRISIS_LABELS_NL: Record<CrisisKind, string> = {
  eviction: 'Dreigende huisuitzetting',
  energy_water: 'Afsluiting energie of water',
  health_insurance: 'Zorgverzekering beëindigd',
};

/** Calendar days for an ordinary request. */
export const FIRST_MEETING_DAYS = 28;
/** Working days for a request with a crisis. */
export const CRISIS_WORKING_DAYS = 3;

const iso = (y: number, m: number, d: number): IsoDate =>
  `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(year, month, day);
}

const weekday = (date: IsoDate): number => new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday .. 6 Saturday

const holidayCache = new Map<number, ReadonlySet<IsoDate>>();

/**
 * The general holidays of the Algemene termijnenwet in a year: Nieuwjaarsdag, tweede paasdag,
 * Hemelvaartsdag, tweede pinksterdag, Koningsdag (26 April when 27 April is a Sunday), 5 mei,
 * eerste en tweede kerstdag. (Good Friday is not one.)
 */
export function termHolidays(year: number): ReadonlySet<IsoDate> {
  const known = holidayCache.get(year);
  if (known) return known;
  const easter = easterSunday(year);
  const kingsDay = weekday(iso(year, 4, 27)) === 0 ? iso(year, 4, 26) : iso(year, 4, 27);
  const days = new Set<IsoDate>([
    iso(year, 1, 1),
    addDays(easter, 1),
    addDays(easter, 39),
    addDays(easter, 50),
    kingsDay,
    iso(year, 5, 5),
    iso(year, 12, 25),
    iso(year, 12, 26),
  ]);
  holidayCache.set(year, days);
  return days;
}

/** Monday to Friday and not a holiday of the Algemene termijnenwet. */
export function isWorkingDay(date: IsoDate): boolean {
  const w = weekday(date);
  return w !== 0 && w !== 6 && !termHolidays(Number(date.slice(0, 4))).has(date);
}

/** The `n`-th working day after `date` (the day itself never counts). */
export function addWorkingDays(date: IsoDate, n: number): IsoDate {
  let d = date;
  for (let left = n; left > 0; ) {
    d = addDays(d, 1);
    if (isWorkingDay(d)) left--;
  }
  return d;
}

/** The last working day before `date`: when the alert for a request due on `date` is raised. */
export function previousWorkingDay(date: IsoDate): IsoDate {
  let d = addDays(date, -1);
  while (!isWorkingDay(d)) d = addDays(d, -1);
  return d;
}

/** The day by which the first meeting must have taken place. */
export function firstMeetingDue(registeredOn: IsoDate, crisis: CrisisKind | null): IsoDate {
  return crisis ? addWorkingDays(registeredOn, CRISIS_WORKING_DAYS) : addDays(registeredOn, FIRST_MEETING_DAYS);
}

/** Calendar days past the due date on `today` (0 when not overdue): "2 dagen over de termijn". */
export function overdueDays(dueOn: IsoDate, today: IsoDate): number {
  return Math.max(0, daysBetween(dueOn, today));
}
