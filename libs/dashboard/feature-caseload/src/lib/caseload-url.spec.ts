import { caseloadFilterFromQuery, caseloadQuery } from './caseload-url';

describe('the caseload view in the URL', () => {
  it('reads back what it wrote', () => {
    const f = {
      pageSize: 50,
      q: 'NO-20251',
      status: 'open',
      step: 'goal_known',
      municipality: 'GM0344',
      clientType: 'zelfstandige',
      sort: 'clientRef:asc',
      alerts: true,
      mine: true,
      overdue: true,
      after: 'abc_12-3.x',
    };
    const q = Object.fromEntries(Object.entries(caseloadQuery(f)).filter((e): e is [string, string] => e[1] !== null));
    expect(q).toEqual({
      q: 'NO-20251',
      status: 'open',
      step: 'goal_known',
      municipality: 'GM0344',
      clientType: 'zelfstandige',
      sort: 'clientRef:asc',
      alerts: '1',
      mine: '1',
      overdue: '1',
      after: 'abc_12-3.x',
    });
    expect(caseloadFilterFromQuery(q, 50)).toEqual(f);
  });

  it('clears what the plain list does not have (null removes it from the URL)', () => {
    expect(caseloadQuery({ pageSize: 50, alerts: false })).toEqual({
      q: null,
      municipality: null,
      step: null,
      status: null,
      clientType: null,
      sort: null,
      after: null,
      before: null,
      alerts: null,
      stalled: null,
      mine: null,
      waiting: null,
      overdue: null,
    });
  });

  it('leaves out values the page could not have written', () => {
    expect(
      caseloadFilterFromQuery(
        {
          q: 'x'.repeat(65),
          municipality: 'Utrecht',
          step: 'done',
          status: 'gone',
          clientType: 'Zelf Standig',
          sort: 'name:up',
          alerts: 'yes',
          after: 'a b',
          before: 'ok',
        },
        50,
      ),
    ).toEqual({ pageSize: 50, before: 'ok' });
  });
});
