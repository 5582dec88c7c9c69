/**
 * `npm run migrations:lock`: records the SHA-256 of each new migration and SQL file in
 * libs/server/db/migrations.lock.json. It adds files that are not listed yet and never changes an
 * entry: a migration that has landed is never edited (docs/data-access.md); a change is a new
 * migration that applies a new version of the SQL file. The unit test
 * libs/server/db/src/lib/migrations-lock.spec.ts fails on any difference.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const DB = join(ROOT, 'libs', 'server', 'db');
const LOCK = join(DB, 'migrations.lock.json');

/** Every migration (`src/lib/migrations/<timestamp>-*.ts`) and every SQL file under `sql/`. */
export function lockedFiles() {
  const walk = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
    );
  const migrations = readdirSync(join(DB, 'src', 'lib', 'migrations'))
    .filter((f) => /^\d{13}-.*\.ts$/.test(f))
    .map((f) => join(DB, 'src', 'lib', 'migrations', f));
  const sql = walk(join(DB, 'sql')).filter((f) => f.endsWith('.sql'));
  return [...migrations, ...sql].map((f) => relative(DB, f)).sort();
}

export const sha256 = (file) =>
  createHash('sha256')
    .update(readFileSync(join(DB, file)))
    .digest('hex');

if (import.meta.url === `file://${process.argv[1]}`) {
  const lock = existsSync(LOCK) ? JSON.parse(readFileSync(LOCK, 'utf8')) : {};
  const added = [];
  const changed = [];
  for (const f of lockedFiles()) {
    if (!(f in lock)) {
      lock[f] = sha256(f);
      added.push(f);
    } else if (lock[f] !== sha256(f)) changed.push(f);
  }
  const sorted = Object.fromEntries(
    Object.keys(lock)
      .sort()
      .map((k) => [k, lock[k]]),
  );
  writeFileSync(LOCK, `${JSON.stringify(sorted, null, 2)}\n`);
  for (const f of added) console.log(`locked ${f}`);
  if (changed.length) {
    console.error(
      `These landed files changed; undo the change and write a new migration instead:\n  ${changed.join('\n  ')}`,
    );
    process.exit(1);
  }
}
