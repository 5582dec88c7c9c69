import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call } from '../support/http';

interface Problem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer?: string }[];
}

/**
 * The OpenAPI document is a contract partners generate clients from (docs/api.md): the one the api
 * serves passes `redocly lint` with the recommended rules, without an error or a warning.
 */
describe('the OpenAPI document', () => {
  it('is lint clean under Redocly recommended rules', async () => {
    const doc = await call('GET', '/api/docs-json');
    expect(doc.status).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'km-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc.body));
      const bin = join(__dirname, '..', '..', '..', '..', 'node_modules', '.bin', 'redocly');
      const run = spawnSync(bin, ['lint', file, '--extends=recommended', '--format=json', '--max-problems=1000'], {
        encoding: 'utf8',
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      });
      const out = JSON.parse(run.stdout) as { problems: Problem[] };
      // One line per problem, so a failure says what to fix.
      const lines = out.problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`);
      expect(lines).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('documents the query parameters of the analytics endpoints (their DTOs), so typed clients can call them', async () => {
    const doc = await call<{
      paths: Record<string, { get?: { parameters?: { name: string; required?: boolean }[] } }>;
    }>('GET', '/api/docs-json');
    const params = (path: string) =>
      (doc.body.paths[path]?.get?.parameters ?? []).map((p) => `${p.name}${p.required ? '*' : ''}`).sort();
    expect(params('/api/v1/analytics/step-attainment')).toEqual([
      'asOf',
      'clientTypes',
      'cohort',
      'cohortFrom',
      'cohortTo',
      'compareTo',
      'format',
      'groupBy',
      'minCell',
      'municipalities',
      'periodUnit',
      'step*',
      'withinDays',
    ]);
    expect(params('/api/v1/analytics/experience')).toContain('item*');
    expect(params('/api/v1/analytics/response-rate')).toEqual(expect.arrayContaining(['sentFrom', 'sentTo']));
    expect(params('/api/v1/analytics/report')).not.toContain('groupBy');
    // The page's own filters reach the report too (#24): the comparison group and the time chart's lines.
    expect(params('/api/v1/analytics/report')).toEqual(expect.arrayContaining(['compareTo', 'timeBy']));
    for (const path of ['/api/v1/comparison-groups', '/api/v1/saved-views'])
      expect(Object.keys(doc.body.paths)).toContain(path);
  });
});
