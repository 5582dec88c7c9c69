import { copyText } from './copy-text';

describe('copyText (COPY text format)', () => {
  it('writes null as \\N and escapes what would end a value or a row', () => {
    expect(copyText(null)).toBe('\\N');
    expect(copyText(undefined)).toBe('\\N');
    expect(copyText(12)).toBe('12');
    expect(copyText('KL-1')).toBe('KL-1');
    // A backslash, a tab, a newline and a carriage return each become a backslash escape.
    expect(copyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    // JSON text keeps its quotes; its own escaped backslashes are doubled for COPY.
    expect(copyText(JSON.stringify({ note: 'x\\y' }))).toBe('{"note":"x\\\\\\\\y"}');
  });
});
