import { formatDate } from './date-format';

describe('formatDate: one format per purpose', () => {
  it('writes a calendar date for tables and sentences, without leading zeros', () => {
    expect(formatDate('2026-12-06')).toBe('6-12-2026');
    expect(formatDate('2026-03-01', 'table')).toBe('1-3-2026');
    expect(formatDate('2026-12-06', 'sentence')).toBe('6 december 2026');
    expect(formatDate('2026-03-01', 'sentence', 'en')).toBe('1 March 2026');
    // A calendar date has no time: dateTime is the date alone, time is empty.
    expect(formatDate('2026-12-06', 'dateTime')).toBe('6-12-2026');
    expect(formatDate('2026-12-06', 'time')).toBe('');
  });

  it('shows a moment as the day and time in the Netherlands (winter UTC+1, summer UTC+2)', () => {
    // 03:20 UTC on 6 December is 04:20 in Amsterdam.
    expect(formatDate('2026-12-06T03:20:00Z', 'dateTime')).toBe('6-12-2026 04:20');
    expect(formatDate('2026-12-06T03:20:00Z', 'time')).toBe('04:20');
    // 22:30 UTC on 30 June is 00:30 on 1 July in Amsterdam: the day moves too.
    expect(formatDate(new Date('2026-06-30T22:30:00Z'), 'table')).toBe('1-7-2026');
    expect(formatDate('2026-06-30T22:30:00Z', 'sentence')).toBe('1 juli 2026');
  });

  it('says nothing for nothing or nonsense', () => {
    expect(formatDate(null)).toBe('');
    expect(formatDate(undefined, 'sentence')).toBe('');
    expect(formatDate('gisteren')).toBe('');
  });
});
