import { BIRTH_YEAR_BANDS, CLIENT_REF_PATTERN, looksLikeBsn } from './counseling';

describe('looksLikeBsn', () => {
  it('recognises numbers that pass the eleven-test', () => {
    // 111222333: 1*9+1*8+1*7+2*6+2*5+2*4+3*3+3*2 - 3*1 = 9+8+7+12+10+8+9+6-3 = 66 = 6 * 11.
    expect(looksLikeBsn('111222333')).toBe(true);
    expect(looksLikeBsn('111.222.333')).toBe(true);
    // 123456782: 9+16+21+24+25+24+21+16 - 2 = 154 = 14 * 11.
    expect(looksLikeBsn('123456782')).toBe(true);
  });

  it('lets ordinary client references through', () => {
    // 123456789: 156 - 9 = 147, not a multiple of 11.
    expect(looksLikeBsn('123456789')).toBe(false);
    expect(looksLikeBsn('KL-2025-0042')).toBe(false);
    expect(looksLikeBsn('000000000')).toBe(false);
    expect(looksLikeBsn('12345')).toBe(false);
  });
});

describe('client codes', () => {
  it('has decade bands from the 1930s to the 2010s', () => {
    expect(BIRTH_YEAR_BANDS[0]).toBe('1930-1939');
    expect(BIRTH_YEAR_BANDS).toContain('1970-1979');
    expect(BIRTH_YEAR_BANDS.at(-1)).toBe('2010-2019');
  });

  it('accepts references of letters, digits and . _ - / up to 64 characters', () => {
    expect(CLIENT_REF_PATTERN.test('KL-2025/0042')).toBe(true);
    expect(CLIENT_REF_PATTERN.test('')).toBe(false);
    expect(CLIENT_REF_PATTERN.test('a'.repeat(65))).toBe(false);
    expect(CLIENT_REF_PATTERN.test('Jan Jansen')).toBe(false);
  });
});
