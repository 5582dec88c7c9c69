import { CursorCodec, keyFits, viewHash } from './caseload-cursor';

const field = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    const r = (e as { getResponse(): { details: { field: string; message: string }[] } }).getResponse();
    return `${r.details[0].field}: ${r.details[0].message}`;
  }
  return null;
};

describe('caseload cursor', () => {
  const codec = new CursorCodec('a-server-secret-of-enough-length');
  const view = viewHash({ step: 'goal_known', sort: 'firstContact:desc', municipality: null });
  const cursor = { key: '2025-03-01', id: '0b5c6a3e-3f1e-4c7a-9a43-2f1f0d9e8c11', page: 3, total: 120, view };
  const payloadOf = (c: string) => JSON.parse(Buffer.from(c.split('.')[0], 'base64url').toString('utf8'));
  /** The cursor with its payload changed and the signature left as it was (what a caller can do). */
  const tamper = (c: string, parts: unknown[]) =>
    `${Buffer.from(JSON.stringify(parts)).toString('base64url')}.${c.split('.')[1]}`;

  it('reads back what it wrote', () => {
    expect(codec.decode('after', codec.encode(cursor), view, 'date')).toEqual(cursor);
  });

  it('names the view by its filters and sort, not their order', () => {
    expect(viewHash({ sort: 'firstContact:desc', municipality: null, step: 'goal_known' })).toBe(view);
    expect(viewHash({ step: 'iu_in_view', sort: 'firstContact:desc', municipality: null })).not.toBe(view);
    // An absent filter and a null one are the same view.
    expect(viewHash({ step: null })).toBe(viewHash({ step: undefined }));
  });

  it('names a view the same after more than the kept views were named (the kept names are cleared)', () => {
    const names = new Set(Array.from({ length: 1_500 }, (_, i) => viewHash({ counselorId: `c-${i}` })));
    expect(names.size).toBe(1_500);
    expect(viewHash({ sort: 'firstContact:desc', municipality: null, step: 'goal_known' })).toBe(view);
    expect(viewHash({ counselorId: 'c-0' })).toBe([...names][0]);
  });

  it('refuses a cursor of another view or one that is not ours, naming the parameter', () => {
    const other = viewHash({ step: 'iu_in_view' });
    expect(field(() => codec.decode('after', codec.encode(cursor), other, 'date'))).toMatch(
      /^after: belongs to other filters/,
    );
    expect(field(() => codec.decode('before', 'bm90IGpzb24', view, 'date'))).toMatch(/^before: is not a cursor/);
    // Another server's signature (another secret) is not ours.
    const foreign = new CursorCodec('another-secret-of-enough-length!').encode(cursor);
    expect(field(() => codec.decode('after', foreign, view, 'date'))).toMatch(/^after: is not a cursor/);
  });

  it('takes page and total from the server only: a changed number, key or id breaks the signature (#22)', () => {
    const good = codec.encode(cursor);
    expect(payloadOf(good)).toEqual(['2025-03-01', cursor.id, 3, 120, view]);
    for (const parts of [
      ['2025-03-01', cursor.id, 2 ** 53, 120, view], // the review's page number
      ['2025-03-01', cursor.id, 3, 999999, view], // a made-up total
      ['zzz-not-a-date', cursor.id, 3, 120, view], // the review's key
      ['2025-03-01\u0000', cursor.id, 3, 120, view], // a NUL byte
      ['2025-03-01', '0b5c6a3e-3f1e-4c7a-9a43-2f1f0d9e8c12', 3, 120, view],
    ])
      expect([parts[0], field(() => codec.decode('after', tamper(good, parts), view, 'date'))]).toEqual([
        parts[0],
        'after: is not a cursor of this list (take nextCursor or prevCursor of an answer)',
      ]);
    expect(field(() => codec.decode('after', `${good}.x`, view, 'date'))).toMatch(/^after: is not a cursor/);
  });

  it('refuses a key that does not fit the sort, also when signed (a bug elsewhere must not reach SQL)', () => {
    const signedBad = codec.encode({ ...cursor, key: 'zzz-not-a-date' });
    expect(field(() => codec.decode('after', signedBad, view, 'date'))).toBe(
      'after: does not fit this order (its key is not a date)',
    );
    expect(keyFits('2025-02-30', 'date')).toBe(false);
    expect(keyFits('2024-02-29', 'date')).toBe(true);
    expect(keyFits('3', 'int')).toBe(true);
    expect(keyFits('3.5', 'int')).toBe(false);
    expect(keyFits('B-0421', 'text')).toBe(true);
    expect(keyFits('B\u00000421', 'text')).toBe(false);
    expect(keyFits('x'.repeat(201), 'text')).toBe(false);
  });
});
