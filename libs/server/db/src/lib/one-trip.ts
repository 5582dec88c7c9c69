import { createHash } from 'node:crypto';
import { escapeLiteral } from 'pg';

/**
 * A statement with `$1`, `$2`, ... and its values, as for `em.query`. With a `name` (from
 * `namedStatement`), TenantDb prepares it once per connection (SQL PREPARE) and sends
 * `EXECUTE name(values)`: the plan is kept as for `prepared()`, which a statement riding with a
 * BEGIN or a COMMIT cannot use (#26: planning the step update's two statements afresh cost 0.7 ms
 * of the server's time per request).
 */
export interface Statement {
  text: string;
  values?: readonly unknown[];
  name?: string;
}

const names = new Map<string, string>();

/**
 * A SQL text with the name it is prepared under: made once at module load for a fixed text, or per
 * call for a text built from a fixed set of parts (the caseload's filters: the name is remembered).
 */
export function namedStatement(text: string): { text: string; name: string } {
  let name = names.get(text);
  if (!name) names.set(text, (name = `km_trip_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`));
  return { text, name };
}

/** A string escapeLiteral would only put between quotes: no quote, no backslash. */
const PLAIN = /^[^'\\]*$/;

/** A value written into SQL text: NULL, true/false, a finite number, or a string quoted by pg's escapeLiteral. */
export function sqlLiteral(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`sqlLiteral: ${value} is not a finite number`);
    return String(value);
  }
  // Most values (uuids, dates, JSON of ids) hold no quote or backslash: quoted as escapeLiteral would
  // quote them, without its walk over every character (#26: 3 % of the caseload's api time).
  if (typeof value === 'string') return PLAIN.test(value) ? `'${value}'` : escapeLiteral(value);
  // Objects, arrays, dates and undefined are refused: the caller says what it sends (JSON.stringify, an ISO date).
  throw new Error(
    `sqlLiteral: a ${value === undefined ? 'undefined' : typeof value} value cannot be written as a literal`,
  );
}

/**
 * The statement's text with each `$n` replaced by the literal of its value, in one pass (a value
 * that contains "$2" stays text). Used only for the statements that ride with a BEGIN or a COMMIT
 * (TenantDb.run): the simple protocol, which carries several statements, has no parameters. The
 * values are quoted by pg's own escapeLiteral (quotes doubled, backslashes in an E'' string), so a
 * value can never end the literal; a `$n` without a value is an error, not an empty string.
 */
export function inlineStatement({ text, values = [], name }: Statement): string {
  if (name) return `EXECUTE ${name}(${values.map(sqlLiteral).join(', ')})`;
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= values.length) throw new Error(`inlineStatement: no value for $${n}`);
    return sqlLiteral(values[i]);
  });
}
