import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * Validated import rows kept on disk (one JSON array per line) between reading the file and the
 * transaction that writes them, so that neither a database connection nor the api's memory is
 * held while an upload streams. The directory is private (mkdtemp, mode 0700) and removed by
 * `dispose`, whatever happened.
 */
export class RowSpool {
  private out: WriteStream | null;
  private count = 0;

  private constructor(
    private readonly dir: string,
    private readonly file: string,
  ) {
    this.out = createWriteStream(file, { mode: 0o600 });
  }

  static async create(): Promise<RowSpool> {
    const dir = await mkdtemp(join(tmpdir(), 'km-import-'));
    return new RowSpool(dir, join(dir, 'rows.jsonl'));
  }

  get rows(): number {
    return this.count;
  }

  async write(row: unknown[]): Promise<void> {
    if (!this.out) throw new Error('the spool is closed for writing');
    this.count++;
    if (!this.out.write(`${JSON.stringify(row)}\n`)) await once(this.out, 'drain');
  }

  /** The rows in the order written, `size` at a time; ends writing. */
  async *batches(size: number): AsyncGenerator<unknown[][]> {
    await this.closeOut();
    let batch: unknown[][] = [];
    const lines = createInterface({
      input: createReadStream(this.file),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      if (!line) continue;
      batch.push(JSON.parse(line) as unknown[]);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }

  async dispose(): Promise<void> {
    await this.closeOut().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }

  private async closeOut(): Promise<void> {
    const out = this.out;
    this.out = null;
    if (out && !out.closed)
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
}
