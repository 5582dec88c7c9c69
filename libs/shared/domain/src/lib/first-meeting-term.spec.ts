import {
  addWorkingDays,
  easterSunday,
  firstMeetingDue,
  isWorkingDay,
  overdueDays,
  previousWorkingDay,
  termHolidays,
} from './first-meeting-term';

describe('the legal first-meeting term (Wgs, Algemene termijnenwet)', () => {
  it('computes Easter for early, late and ordinary years', () => {
    // Known dates: 2008 (early), 2019, 2024, 2025, 2026, 2027, 2038 (late).
    expect(easterSunday(2008)).toBe('2008-03-23');
    expect(easterSunday(2019)).toBe('2019-04-21');
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(easterSunday(2038)).toBe('2038-04-25');
  });

  it('knows the holidays of a year, Koningsdag moved to the 26th when the 27th is a Sunday', () => {
    // 2026: Easter 5 April -> Easter Monday 6 April, Ascension +39 = 14 May, Whit Monday +50 = 25 May.
    expect([...termHolidays(2026)].sort()).toEqual([
      '2026-01-01',
      '2026-04-06',
      '2026-04-27',
      '2026-05-05',
      '2026-05-14',
      '2026-05-25',
      '2026-12-25',
      '2026-12-26',
    ]);
    // 27 April 2025 and 2031 are Sundays.
    expect(termHolidays(2025).has('2025-04-26')).toBe(true);
    expect(termHolidays(2025).has('2025-04-27')).toBe(false);
    expect(termHolidays(2031).has('2031-04-26')).toBe(true);
    // Good Friday is not a holiday of the Algemene termijnenwet.
    expect(isWorkingDay('2026-04-03')).toBe(true);
    expect(isWorkingDay('2026-04-04')).toBe(false); // Saturday
    expect(isWorkingDay('2026-04-06')).toBe(false); // Easter Monday
  });

  it('counts 3 working days for a crisis, from the day after the request', () => {
    // Wed 23 Dec 2026: Thu 24 (1), Fri 25 Christmas, Sat, Sun, Mon 28 (2), Tue 29 (3).
    expect(firstMeetingDue('2026-12-23', 'eviction')).toBe('2026-12-29');
    // Fri 3 Apr 2026 (Good Friday counts as a working day, but not the request day): Mon 6 Easter
    // Monday, Tue 7 (1), Wed 8 (2), Thu 9 (3).
    expect(firstMeetingDue('2026-04-03', 'energy_water')).toBe('2026-04-09');
    // Thu 30 Apr 2026: Fri 1 May (1), Mon 4 (2), Tue 5 May holiday, Wed 6 (3).
    expect(firstMeetingDue('2026-04-30', 'health_insurance')).toBe('2026-05-06');
    // Fri 24 Apr 2026: Mon 27 Koningsdag, Tue 28 (1), Wed 29 (2), Thu 30 (3).
    expect(firstMeetingDue('2026-04-24', 'eviction')).toBe('2026-04-30');
    // Tue 12 May 2026: Wed 13 (1), Thu 14 Ascension, Fri 15 (2), Mon 18 (3).
    expect(firstMeetingDue('2026-05-12', 'eviction')).toBe('2026-05-18');
    // Fri 22 May 2026: Mon 25 Whit Monday, Tue 26 (1), Wed 27 (2), Thu 28 (3).
    expect(firstMeetingDue('2026-05-22', 'eviction')).toBe('2026-05-28');
    // A request on Saturday 5 Dec 2026: Mon 7 (1), Tue 8 (2), Wed 9 (3).
    expect(firstMeetingDue('2026-12-05', 'eviction')).toBe('2026-12-09');
    // Over the year end: Wed 30 Dec 2026: Thu 31 (1), Fri 1 Jan holiday, Mon 4 (2), Tue 5 (3).
    expect(firstMeetingDue('2026-12-30', 'energy_water')).toBe('2027-01-05');
  });

  it('counts 28 calendar days without a crisis, over a year end too', () => {
    expect(firstMeetingDue('2026-12-20', null)).toBe('2027-01-17');
    expect(firstMeetingDue('2026-02-01', null)).toBe('2026-03-01');
    // A leap year: 1 Feb 2028 + 28 days is 29 Feb.
    expect(firstMeetingDue('2028-02-01', null)).toBe('2028-02-29');
  });

  it('finds the working day before a due date (the day of the alert) and days over the term', () => {
    // Due Tue 29 Dec 2026: the day before is Mon 28. Due Tue 5 Jan 2027: Mon 4. Due Thu 30 Apr 2026
    // (after Koningsdag on Monday 27): Wed 29. Due Tue 28 Apr: Mon 27 is Koningsdag, so Fri 24.
    expect(previousWorkingDay('2026-12-29')).toBe('2026-12-28');
    expect(previousWorkingDay('2027-01-05')).toBe('2027-01-04');
    expect(previousWorkingDay('2026-04-30')).toBe('2026-04-29');
    expect(previousWorkingDay('2026-04-28')).toBe('2026-04-24');
    expect(overdueDays('2026-12-29', '2026-12-31')).toBe(2);
    expect(overdueDays('2026-12-29', '2026-12-29')).toBe(0);
    expect(overdueDays('2026-12-29', '2026-12-01')).toBe(0);
    expect(addWorkingDays('2026-12-24', 0)).toBe('2026-12-24');
  });
});
