import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The text of a file under `libs/server/db/sql/` (docs/data-access.md: functions, views, triggers and
 * policies live as .sql files that a migration applies). The built api carries them in `sql/`
 * beside its main.js (webpack assets); from source they are read where they live.
 * Files are versioned by name (`sessions-v1.sql`): a change is a new file and a new migration,
 * so a migration that has landed applies the same text forever.
 */
export function readSqlFile(relativePath: string): string {
  const candidates = [
    join(__dirname, 'sql', relativePath),
    join(process.cwd(), 'libs', 'server', 'db', 'sql', relativePath),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`SQL file ${relativePath} not found (looked in ${candidates.join(', ')})`);
  return readFileSync(found, 'utf8');
}
