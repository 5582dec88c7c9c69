import { decodeCursor, encodeCursor, viewHash } from './caseload-cursor';

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
  const view = viewHash({ step: 'goal_known', sort: 'firstContact:desc', municipality: null });
  const cursor = { key: '2025-03-01', id: '0b5c6a3e-3f1e-4c7a-9a43-2f1f0d9e8c11', page: 3, total: 120, view };

  it('reads back what it wrote', () => {
    expect(decodeCursor('after', encodeCursor(cursor), view)).toEqual(cursor);
  });

  it('names the view by its filters and sort, not their order', () => {
    expect(viewHash({ sort: 'firstContact:desc', municipality: null, step: 'goal_known' })).toBe(view);
    expect(viewHash({ step: 'iu_in_view', sort: 'firstContact:desc', municipality: null })).not.toBe(view);
    // An absent filter and a null one are the same view.
    expect(viewHash({ step: null })).toBe(viewHash({ step: undefined }));
  });

  it('refuses a cursor of another view or one that is not ours, naming the parameter', () => {
    const other = viewHash({ step: 'iu_in_view' });
    expect(field(() => decodeCursor('after', encodeCursor(cursor), other))).toMatch(/^after: belongs to other filters/);
    expect(field(() => decodeCursor('before', 'bm90IGpzb24', view))).toMatch(/^before: is not a cursor/);
    const forged = Buffer.from(JSON.stringify(['x', 'not-a-uuid', 1, 1, view])).toString('base64url');
    expect(field(() => decodeCursor('after', forged, view))).toMatch(/^after: is not a cursor/);
    const page0 = encodeCursor({ ...cursor, page: 0 });
    expect(field(() => decodeCursor('after', page0, view))).toMatch(/^after: is not a cursor/);
  });
});
