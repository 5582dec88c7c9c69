import { existsSync } from 'node:fs';
import { RowSpool } from './row-spool';

describe('RowSpool', () => {
  it('gives back every row in order, in batches, with types intact', async () => {
    const spool = await RowSpool.create();
    const rows = Array.from({ length: 2503 }, (_, i) => [i + 2, `KL-${i}`, i % 2 ? null : '2025-01-01', { a: i }]);
    for (const r of rows) await spool.write(r);
    const seen: unknown[][] = [];
    const sizes: number[] = [];
    for await (const b of spool.batches(1000)) {
      sizes.push(b.length);
      seen.push(...b);
    }
    expect(sizes).toEqual([1000, 1000, 503]);
    expect(seen).toEqual(rows);
    expect(spool.rows).toBe(2503);
    await spool.dispose();
  });

  it('removes its file on dispose, also when nothing was read back', async () => {
    const spool = await RowSpool.create();
    await spool.write([1, 'x']);
    const dir = (spool as unknown as { dir: string }).dir;
    expect(existsSync(dir)).toBe(true);
    await spool.dispose();
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses writes after reading has begun', async () => {
    const spool = await RowSpool.create();
    await spool.write([1]);
    for await (const b of spool.batches(10)) expect(b).toEqual([[1]]);
    await expect(spool.write([2])).rejects.toThrow(/closed/);
    await spool.dispose();
  });
});
