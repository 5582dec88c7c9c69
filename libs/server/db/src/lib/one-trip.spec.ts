import { escapeLiteral } from 'pg';
import { inlineStatement, namedStatement, sqlLiteral } from './one-trip';

describe('one-trip statements (values written into the text of a BEGIN or COMMIT round trip)', () => {
  it('writes each kind of value as a literal', () => {
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(true)).toBe('true');
    expect(sqlLiteral(false)).toBe('false');
    expect(sqlLiteral(42)).toBe('42');
    expect(sqlLiteral(-1.5)).toBe('-1.5');
    expect(sqlLiteral('goal_known')).toBe("'goal_known'");
  });

  it('keeps a hostile string inside its literal: quotes doubled, backslashes in an E string', () => {
    expect(sqlLiteral("x'); DROP TABLE clients; --")).toBe("'x''); DROP TABLE clients; --'");
    expect(sqlLiteral("a\\'b")).toBe(" E'a\\\\''b'");
    expect(sqlLiteral('{"note":"it\'s"}')).toBe(`'{"note":"it''s"}'`);
  });

  it("writes every string exactly as pg's escapeLiteral does (its quick path for plain strings included)", () => {
    const strings = ['', 'plain', '2026-12-07', "'", '\\', "a'b\\c", '{"clientIds":["x"]}', 'é ∑ 😀', '\n\t', "''"];
    for (const s of strings) expect(sqlLiteral(s)).toBe(escapeLiteral(s));
  });

  it('refuses what it cannot write faithfully', () => {
    for (const v of [undefined, NaN, Infinity, {}, [1], new Date(0)]) expect(() => sqlLiteral(v)).toThrow(/sqlLiteral/);
  });

  it('replaces $n in one pass, $10 not as $1 and 0, and a value that says "$2" stays text', () => {
    const values = ['$2', 'b', 3, 4, 5, 6, 7, 8, 9, 'ten'];
    expect(inlineStatement({ text: 'SELECT $1, $2, $10', values })).toBe("SELECT '$2', 'b', 'ten'");
    expect(() => inlineStatement({ text: 'SELECT $1, $3', values: ['a', 'b'] })).toThrow('no value for $3');
    expect(() => inlineStatement({ text: 'SELECT $0', values: ['a'] })).toThrow('no value for $0');
  });

  it('a named statement is executed by its name with the same literals', () => {
    const s = namedStatement('SELECT $1::uuid, $2');
    expect(s.name).toMatch(/^km_trip_[0-9a-f]{20}$/);
    expect(namedStatement('SELECT $1::uuid, $2').name).toBe(s.name);
    expect(namedStatement('SELECT $1::uuid, $3').name).not.toBe(s.name);
    expect(inlineStatement({ ...s, values: ['123e4567-e89b-12d3-a456-426614174000', "it's"] })).toBe(
      `EXECUTE ${s.name}('123e4567-e89b-12d3-a456-426614174000', 'it''s')`,
    );
  });
});
