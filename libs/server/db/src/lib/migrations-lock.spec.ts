import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MIGRATIONS } from './migrations';

/**
 * A migration that has landed is never edited (docs/data-access.md; docs/data-access.md): a database
 * migrated earlier would no longer match the code. Every migration and every SQL file it applies
 * has its SHA-256 in migrations.lock.json; `npm run migrations:lock` adds new files and never
 * changes an entry.
 */
const DB = join(__dirname, '..', '..');
const lock: Record<string, string> = JSON.parse(readFileSync(join(DB, 'migrations.lock.json'), 'utf8'));
const sha256 = (file: string) =>
  createHash('sha256')
    .update(readFileSync(join(DB, file)))
    .digest('hex');
const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
const migrationFiles = readdirSync(join(DB, 'src', 'lib', 'migrations')).filter((f) => /^\d{13}-.*\.ts$/.test(f));
const sqlFiles = walk(join(DB, 'sql'))
  .filter((f) => f.endsWith('.sql'))
  .map((f) => relative(DB, f));

describe('landed migrations never change', () => {
  it('every migration and SQL file is in the lock (run `npm run migrations:lock` for a new one)', () => {
    const files = [...migrationFiles.map((f) => `src/lib/migrations/${f}`), ...sqlFiles];
    expect(files.filter((f) => !(f in lock))).toEqual([]);
  });

  it('no locked file differs from its recorded hash (write a new migration instead)', () => {
    const changed = Object.keys(lock).filter((f) => sha256(f) !== lock[f]);
    expect(changed).toEqual([]);
  });

  it('every migration file is listed in MIGRATIONS, in timestamp order', () => {
    const stamps = migrationFiles.map((f) => f.slice(0, 13)).sort();
    expect(MIGRATIONS.map((m) => (m as { name: string }).name.slice(-13))).toEqual(stamps);
  });
});
