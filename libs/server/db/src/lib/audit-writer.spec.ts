import { AUDIT_BATCH_MAX, AuditWriter, auditBatchStatement } from './audit-writer';
import type { AuditEntry } from './audit-log';
import { inlineStatement, type Statement } from './one-trip';
import type { TenantDb, TenantScope } from './tenant-db';

const ORG_A = '0b5c6a3e-3f1e-4c7a-9a43-2f1f0d9e8c11';
const ORG_B = '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
const entry = (org: string, n: number): AuditEntry => ({
  organisationId: org,
  actorUserId: null,
  actorRole: 'counselor',
  action: 'caseload.read',
  entityType: 'client',
  requestId: `r${n}`,
  entityIds: [],
});

/** A TenantDb whose writes wait until the test lets them finish (or fail). */
function fakeDb() {
  const writes: { scope: TenantScope; statements: Statement[]; done(): void; fail(e: Error): void }[] = [];
  const db = {
    once: (scope: TenantScope, statements: Statement[]) =>
      new Promise<Record<string, unknown>[][]>((resolve, reject) =>
        writes.push({ scope, statements, done: () => resolve([[]]), fail: reject }),
      ),
  };
  return { writes, writer: new AuditWriter(db as unknown as TenantDb) };
}
/** The request ids of a write, in the order of its rows. */
const idsOf = (s: Statement) => (s.values ?? []).filter((v) => typeof v === 'string' && /^r\d+$/.test(v));
const settle = () => new Promise((r) => setImmediate(r));

describe('AuditWriter (group commits of read audit entries)', () => {
  it('writes an entry at once when nothing is being written, and resolves only after the commit', async () => {
    const { writes, writer } = fakeDb();
    let resolved = false;
    const p = writer.append(entry(ORG_A, 1)).then(() => (resolved = true));
    expect(writes).toHaveLength(1);
    expect(writes[0].scope).toEqual({ organisationId: ORG_A });
    await settle();
    expect(resolved).toBe(false);
    writes[0].done();
    await p;
    expect(resolved).toBe(true);
  });

  it('writes the entries that arrive during a write together, in one statement, in their order', async () => {
    const { writes, writer } = fakeDb();
    const first = writer.append(entry(ORG_A, 1));
    const later = [2, 3, 4].map((n) => writer.append(entry(ORG_A, n)));
    // 1 is being written; 2, 3 and 4 wait for it.
    expect(writes).toHaveLength(1);
    writes[0].done();
    await first;
    await settle();
    expect(writes).toHaveLength(2);
    expect(idsOf(writes[1].statements[0])).toEqual(['r2', 'r3', 'r4']);
    writes[1].done();
    await Promise.all(later);
    expect(writes).toHaveLength(2);
  });

  it("writes each organisation's entries in a transaction of that organisation", async () => {
    const { writes, writer } = fakeDb();
    const a = writer.append(entry(ORG_A, 1));
    const b = writer.append(entry(ORG_B, 2));
    expect(writes.map((w) => w.scope.organisationId)).toEqual([ORG_A, ORG_B]);
    expect(idsOf(writes[1].statements[0])).toEqual(['r2']);
    writes.forEach((w) => w.done());
    await Promise.all([a, b]);
  });

  it('rejects exactly the entries of a write that failed, and writes the next ones', async () => {
    const { writes, writer } = fakeDb();
    const first = writer.append(entry(ORG_A, 1));
    const second = writer.append(entry(ORG_A, 2));
    writes[0].fail(new Error('disk full'));
    await expect(first).rejects.toThrow('disk full');
    await settle();
    writes[1].done();
    await expect(second).resolves.toBeUndefined();
  });

  it(`writes at most ${AUDIT_BATCH_MAX} entries per statement`, async () => {
    const { writes, writer } = fakeDb();
    const all = Array.from({ length: AUDIT_BATCH_MAX + 6 }, (_, n) => writer.append(entry(ORG_A, n)));
    writes[0].done(); // entry 0 alone
    await settle();
    expect(idsOf(writes[1].statements[0])).toHaveLength(AUDIT_BATCH_MAX);
    writes[1].done();
    await settle();
    expect(idsOf(writes[2].statements[0])).toHaveLength(5);
    writes[2].done();
    await Promise.all(all);
  });
});

describe('auditBatchStatement', () => {
  it('writes one row per entry, with its clients as a uuid[] literal and its details as jsonb', () => {
    const ids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
    const sql = inlineStatement(
      auditBatchStatement([
        { ...entry(ORG_A, 1), entityIds: ids, details: { filters: { q: "O'Brien" } } },
        { ...entry(ORG_A, 2), entityIds: [] },
      ]),
    );
    expect(sql).toContain(`'{${ids.join(',')}}'::uuid[]`);
    expect(sql).toContain(`'{}'::uuid[]`);
    // The quote in the search text is doubled: the literal cannot end early.
    expect(sql).toContain(`coalesce('{"filters":{"q":"O''Brien"}}'::jsonb, '{}'::jsonb)`);
    expect(sql.match(/::uuid\[\]\)/g)).toHaveLength(2);
  });
});
