import { todayInAmsterdam } from './dates';

describe('todayInAmsterdam', () => {
  // Amsterdam is UTC+1 in winter (CET) and UTC+2 in summer (CEST): its midnight is 23:00 or 22:00 UTC.
  // The date is remembered per UTC hour (#26), so each case asks twice in the same hour and once
  // in the hour before, in an order that would show a stale answer.
  const cases: [string, string][] = [
    ['2026-01-15T22:59:59Z', '2026-01-15'], // 23:59:59 CET
    ['2026-01-15T23:00:00Z', '2026-01-16'], // 00:00 CET
    ['2026-03-28T22:59:59Z', '2026-03-28'], // the night before summer time starts
    ['2026-03-28T23:00:00Z', '2026-03-29'],
    ['2026-07-01T21:59:59Z', '2026-07-01'], // 23:59:59 CEST
    ['2026-07-01T22:00:00Z', '2026-07-02'], // 00:00 CEST
    ['2026-10-24T21:59:59Z', '2026-10-24'], // the night before winter time: midnight is 22:00 UTC
    ['2026-10-24T22:00:00Z', '2026-10-25'],
    ['2026-12-31T23:30:00Z', '2027-01-01'], // a new year in Amsterdam, the old one in UTC
  ];

  it('gives the Dutch calendar date on both sides of midnight, in winter and in summer time', () => {
    for (const [at, date] of cases) {
      expect([todayInAmsterdam(new Date(at)), todayInAmsterdam(new Date(at))]).toEqual([date, date]);
    }
  });

  it('answers again when the hour changes, also going back in time', () => {
    expect(todayInAmsterdam(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
    expect(todayInAmsterdam(new Date('2026-07-01T21:00:00Z'))).toBe('2026-07-01');
    expect(todayInAmsterdam(new Date('2026-07-01T22:30:00Z'))).toBe('2026-07-02');
  });

  it('refuses an invalid date as Intl does', () => {
    expect(() => todayInAmsterdam(new Date('not a date'))).toThrow(RangeError);
  });
});
