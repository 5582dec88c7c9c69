import { caseloadJson } from './clients.service';

describe('caseloadJson: a caseload page as JSON text, its items passed through (#26)', () => {
  const item = (ref: string) => ({
    id: `c-${ref}`,
    clientRef: ref,
    municipality: { code: 'GM0344', name: 'Utrecht' },
    steps: { first_contact: '2026-11-02', goal_known: null },
    services: ['budget_coaching'],
    counselor: null,
  });
  const row = (ref: string) => ({
    id: `c-${ref}`,
    trajectory_id: `t-${ref}`,
    sort_key: ref,
    item: JSON.stringify(item(ref)),
  });

  it('is the page as JSON: the items in the rows order, then total, page, size and cursors', () => {
    const text = caseloadJson([row('A-1'), row('B-"2"\\')], {
      total: 7,
      page: 2,
      pageSize: 2,
      nextCursor: 'abc.def',
      prevCursor: null,
    });
    expect(JSON.parse(text)).toEqual({
      items: [item('A-1'), item('B-"2"\\')],
      total: 7,
      page: 2,
      pageSize: 2,
      nextCursor: 'abc.def',
      prevCursor: null,
    });
    expect(Object.keys(JSON.parse(text))).toEqual(['items', 'total', 'page', 'pageSize', 'nextCursor', 'prevCursor']);
  });

  it('is valid JSON for an empty page, and takes nothing from `rest` beyond the contract', () => {
    const rest = { total: 0, page: 1, pageSize: 50, nextCursor: null, prevCursor: null, extra: 'x' };
    expect(JSON.parse(caseloadJson([], rest))).toEqual({
      items: [],
      total: 0,
      page: 1,
      pageSize: 50,
      nextCursor: null,
      prevCursor: null,
    });
  });
});
