import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Style rule 13 (docs/data-access.md "Owners"): services and controllers of the api and the worker
 * hold no SQL; they call their lib's repository (or a server lib's). A query call (`.query(`,
 * `prepared(`) in a `*.service.ts`, `*.controller.ts` or `*.processor.ts` fails here with the file's
 * name; the few that are allowed are listed with their reason.
 */
const ROOT = join(__dirname, '..', '..', '..', '..', '..');
const ALLOWED: Record<string, string> = {
  'libs/api/feature-platform/src/lib/health.service.ts': "the readiness probe's SELECT 1",
  'libs/worker/feature-analytics/src/lib/analytics.processor.ts':
    'calls of the analytics definer functions and ANALYZE around a recompute (server/analytics owns the tables)',
  'libs/worker/feature-accounts/src/lib/account-links.processor.ts':
    'calls of the account-link definer functions (sql/auth), the mails are its job',
  'libs/worker/feature-questionnaires/src/lib/outbox-relay.service.ts': "the outbox's prune function",
};
const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'node_modules' ? [] : walk(join(dir, e.name))) : [join(dir, e.name)],
  );

describe('where SQL lives (rule 13)', () => {
  it('no service, controller or processor of the api or the worker runs a query itself', () => {
    const files = ['api', 'worker']
      .flatMap((side) => walk(join(ROOT, 'libs', side)))
      .filter((f) => /\.(service|controller|processor)\.ts$/.test(f))
      .map((f) => relative(ROOT, f));
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.filter(
      (f) => !(f in ALLOWED) && /\.query\s*[(<]|\bprepared\s*[(<]/.test(readFileSync(join(ROOT, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('lists no allowed file that has become clean (the list shrinks with the code)', () => {
    const stale = Object.keys(ALLOWED).filter(
      (f) => !/\.query\s*[(<]|\bprepared\s*[(<]/.test(readFileSync(join(ROOT, f), 'utf8')),
    );
    expect(stale).toEqual([]);
  });
});
