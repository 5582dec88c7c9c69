import { answerTrends } from './answer-trends';

describe('answerTrends', () => {
  const items = ['onrust_financien', 'goed_geholpen', 'geluisterd', 'weet_wat_te_doen'];

  it('compares the first and the latest answer, with Onrust the other way round', () => {
    // Given out of order on purpose: by date the answers are (1 Mar, 1 Apr, 1 May).
    //   onrust_financien 4 -> 3 -> 2: lower is better, so "better" (4 -> 2)
    //   goed_geholpen    2 -> 2 -> 1: "worse" (2 -> 1)
    //   geluisterd       3 -> null -> 3: the skipped answer does not count, "same" (3 -> 3)
    //   weet_wat_te_doen only answered on 1 May: no trend (null)
    const t = answerTrends(
      [
        {
          respondedOn: '2025-05-01',
          answers: {
            onrust_financien: 2,
            goed_geholpen: 1,
            geluisterd: 3,
            weet_wat_te_doen: 5,
          },
        },
        {
          respondedOn: '2025-03-01',
          answers: {
            onrust_financien: 4,
            goed_geholpen: 2,
            geluisterd: 3,
            weet_wat_te_doen: null,
          },
        },
        {
          respondedOn: '2025-04-01',
          answers: { onrust_financien: 3, goed_geholpen: 2, geluisterd: null },
        },
      ],
      items,
    );
    expect(t).toEqual({
      onrust_financien: { first: 4, last: 2, kind: 'better' },
      goed_geholpen: { first: 2, last: 1, kind: 'worse' },
      geluisterd: { first: 3, last: 3, kind: 'same' },
      weet_wat_te_doen: null,
    });
  });

  it('has no trend with fewer than two questionnaires', () => {
    expect(answerTrends([{ respondedOn: '2025-03-01', answers: { goed_geholpen: 4 } }], items)).toBeNull();
    expect(answerTrends([], items)).toBeNull();
  });
});
