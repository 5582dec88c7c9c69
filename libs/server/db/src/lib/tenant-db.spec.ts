import type { DataSource } from 'typeorm';
import { TenantDb } from './tenant-db';

describe('TenantDb', () => {
  // The organisation id goes into SQL text (one round trip for BEGIN and the tenant): only a uuid may.
  it('refuses an organisation id that is not a uuid before touching the database', async () => {
    const createQueryRunner = jest.fn();
    const db = new TenantDb({ createQueryRunner } as unknown as DataSource);
    for (const organisationId of ["x', true); DROP TABLE clients; --", '', '123e4567-e89b-12d3-a456-42661417400']) {
      const run = db.run({ organisationId: organisationId || 'not-a-uuid' }, async () => 1);
      await expect(run).rejects.toThrow('organisationId is not a uuid');
    }
    expect(createQueryRunner).not.toHaveBeenCalled();
  });

  it('begins, sets the tenant and commits on one connection, and rolls back when the work fails', async () => {
    const sent: string[] = [];
    const qr = {
      connect: jest.fn(async () => undefined),
      release: jest.fn(async () => undefined),
      query: jest.fn(async (sql: string) => void sent.push(sql)),
      manager: { marker: 'em' },
    };
    const db = new TenantDb({ createQueryRunner: () => qr } as unknown as DataSource);
    const org = '123e4567-e89b-12d3-a456-426614174000';
    await expect(
      db.run({ organisationId: org }, async (em) => (em as unknown as { marker: string }).marker),
    ).resolves.toBe('em');
    expect(sent).toEqual([
      `START TRANSACTION; SELECT set_config('app.organisation_id', '${org}', true), set_config('app.platform_admin', 'off', true)`,
      'COMMIT',
    ]);
    sent.length = 0;
    await expect(
      db.run({ organisationId: null, platformAdmin: true }, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(sent).toEqual([
      `START TRANSACTION; SELECT set_config('app.organisation_id', '', true), set_config('app.platform_admin', 'on', true)`,
      'ROLLBACK',
    ]);
    expect(qr.release).toHaveBeenCalledTimes(2);
  });
});
