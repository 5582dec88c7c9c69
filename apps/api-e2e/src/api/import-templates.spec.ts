import ExcelJS from 'exceljs';
import { baseUrl, call, expectError, makeWorld, World } from '../support/http';

/**
 * GET /imports/templates/:kind (#13): files to fill in, with the organisation's own codes. The
 * trajectories template, filled in as it comes, imports without a problem (dry run).
 */
describe('import templates', () => {
  let world: World;
  const get = (path: string, token: string) =>
    fetch(`${baseUrl()}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });

  beforeAll(async () => {
    world = await makeWorld();
  });

  it('CSV: the columns and an example row that imports as it is', async () => {
    const res = await get('/api/v1/imports/templates/trajectories', world.tokens.org_admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="klantmonitor-voorbeeld-trajectories.csv"',
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    // Org A serves Utrecht (GM0344) and Leiden (GM0546); the example takes the first by name: Leiden.
    expect(bytes.toString('utf8').split('\r\n')[1].split(';').slice(0, 2)).toEqual(['KL-0001', 'GM0546']);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), 'voorbeeld.csv');
    const dry = await fetch(`${baseUrl()}/api/v1/imports/trajectories?dryRun=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.tokens.org_admin}` },
      body: form,
    });
    expect(dry.status).toBe(200);
    expect(await dry.json()).toMatchObject({
      dryRun: true,
      rows: 1,
      errorCount: 0,
    });
  });

  it("XLSX: Invullen, Uitleg and Codes, with this organisation's municipalities only", async () => {
    const res = await get('/api/v1/imports/templates/trajectories?format=xlsx', world.tokens.org_admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Invullen', 'Uitleg', 'Codes']);
    const codes: string[] = [];
    wb.getWorksheet('Codes')!.eachRow((r) => codes.push(String(r.getCell(1).value ?? '')));
    expect(codes).toEqual(expect.arrayContaining(['GM0344', 'GM0546']));
    // Org B's municipality (GM0080) is not in org A's file.
    expect(codes).not.toContain('GM0080');
  });

  it('refuses an unknown kind or format by name, other roles, and no token', async () => {
    expect(
      expectError(
        await call('GET', '/api/v1/imports/templates/clients', {
          token: world.tokens.org_admin,
        }),
        400,
      ).details?.[0].field,
    ).toBe('kind');
    // A path segment over 100 characters is refused by the router itself (414), before any work.
    expectError(
      await call('GET', `/api/v1/imports/templates/${'x'.repeat(300)}`, {
        token: world.tokens.org_admin,
      }),
      414,
    );
    expect(
      expectError(
        await call('GET', '/api/v1/imports/templates/assessments?format=pdf', {
          token: world.tokens.org_admin,
        }),
        400,
      ).details?.[0].field,
    ).toBe('format');
    for (const token of [world.tokens.counselor, world.tokens.policy_advisor, world.tokens.platform_admin]) {
      expectError(await call('GET', '/api/v1/imports/templates/assessments', { token }), 403);
    }
    expectError(await call('GET', '/api/v1/imports/templates/assessments', {}), 401);
  });
});
