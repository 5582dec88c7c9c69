import { cohortOf, intakeClientType, type TrajectoryRecord } from './trajectory';
import { experience, experienceCells } from './experience';
import { support, supportCell, type SupportCell } from './support';
import { responseRate, responseRateCells } from './response-rate';

const ASOF = '2025-06-30';
const G = { groupBy: [], periodUnit: 'month' as const };

describe('intake client type', () => {
  it('takes the earliest assessment within 30 days of first contact, else unknown', () => {
    expect(intakeClientType('2025-01-01', [{ assessedOn: '2025-01-31', clientType: 'a' }], ASOF)).toBe('a'); // fc + 30
    expect(intakeClientType('2025-01-01', [{ assessedOn: '2025-02-01', clientType: 'a' }], ASOF)).toBe('unknown'); // fc + 31
    expect(
      intakeClientType(
        '2025-01-01',
        [
          { assessedOn: '2025-01-15', clientType: 'a' },
          { assessedOn: '2024-12-01', clientType: 'b' },
        ],
        ASOF,
      ),
    ).toBe('b');
    expect(intakeClientType('2025-01-01', [], ASOF)).toBe('unknown');
    // An assessment after asOf has not happened yet on asOf.
    expect(intakeClientType('2025-01-01', [{ assessedOn: '2025-01-15', clientType: 'a' }], '2025-01-10')).toBe(
      'unknown',
    );
  });
});

describe('experience per phase (hand-worked case)', () => {
  /*
   * X1 fc 01-01, goal_known 01-20, iu_in_view 03-01 (approach_set unrecorded: eff 03-01). Answers to geloof_in_oplossing:
   *   01-01 -> 2 (phase first_contact, day 0); 01-20 -> 4 (the step's own day: goal_known);
   *   02-01 -> null (skipped, not counted); 03-05 -> 5 (iu_in_view); 07-05 -> 1 (after asOf, ignored).
   * X2 fc 01-01, goal_known 08-01 (after asOf): 02-01 -> 3 (phase first_contact).
   * first_contact n 2, mean (2 + 3) / 2 = 2.5; goal_known n 1 mean 4; iu_in_view n 1 mean 5;
   * overall n 4, mean (2 + 4 + 5 + 3) / 4 = 3.5.
   */
  const CASE: TrajectoryRecord[] = [
    {
      municipality: 'GM1',
      firstContact: '2025-01-01',
      steps: { goal_known: '2025-01-20', iu_in_view: '2025-03-01' },
      responses: [
        { respondedOn: '2025-01-01', answers: { geloof_in_oplossing: 2 } },
        { respondedOn: '2025-01-20', answers: { geloof_in_oplossing: 4 } },
        { respondedOn: '2025-02-01', answers: { geloof_in_oplossing: null } },
        { respondedOn: '2025-03-05', answers: { geloof_in_oplossing: 5 } },
        { respondedOn: '2025-07-05', answers: { geloof_in_oplossing: 1 } },
      ],
    },
    {
      municipality: 'GM2',
      firstContact: '2025-01-01',
      steps: { goal_known: '2025-08-01' },
      responses: [{ respondedOn: '2025-02-01', answers: { geloof_in_oplossing: 3 } }],
    },
  ];

  it('puts each answer in its phase and averages per phase', () => {
    const cells = cohortOf(CASE, { asOf: ASOF }).flatMap((t) => experienceCells(t, 'geloof_in_oplossing', ASOF));
    const { rows, total } = experience(cells, G);
    expect(rows.map((r) => [r.phase, r.n, r.mean])).toEqual([
      ['first_contact', 2, 2.5],
      ['goal_known', 1, 4],
      ['iu_in_view', 1, 5],
    ]);
    expect([total.n, total.mean]).toEqual([4, 3.5]);
    const byMunicipality = experience(cells, {
      groupBy: ['municipality'],
      periodUnit: 'month',
    }).rows;
    expect(byMunicipality.map((r) => [r.municipality, r.phase, r.n, r.mean])).toEqual([
      ['GM1', 'first_contact', 1, 2],
      ['GM1', 'goal_known', 1, 4],
      ['GM1', 'iu_in_view', 1, 5],
      ['GM2', 'first_contact', 1, 3],
    ]);
  });
});

describe('support intensity (hand-worked case)', () => {
  /*
   * S1 fc 01-01: administrative 30 min on 01-01 (day 0), administrative 20 on 04-01 (day 90: 30 + 28 + 31 + 1, counts),
   *    legal 60 on 04-02 (day 91: outside).
   * S2 fc 01-01: psychosocial 45 on 02-01.
   * S3 fc 04-15: fc + 90 = 07-14 > asOf: not yet eligible.
   * S4 fc 03-01 (fc + 90 = 05-30): no contacts.
   * n 3 (S1 S2 S4); with administrative 1 (S1): share 1/3; mean minutes administrative 50/3, legal 0, psychosocial 45/3 = 15.
   */
  const CASE: TrajectoryRecord[] = [
    {
      municipality: 'GM1',
      firstContact: '2025-01-01',
      support: [
        { occurredOn: '2025-01-01', type: 'administrative', minutes: 30 },
        { occurredOn: '2025-04-01', type: 'administrative', minutes: 20 },
        { occurredOn: '2025-04-02', type: 'legal', minutes: 60 },
      ],
    },
    {
      municipality: 'GM1',
      firstContact: '2025-01-01',
      support: [{ occurredOn: '2025-02-01', type: 'psychosocial', minutes: 45 }],
    },
    {
      municipality: 'GM1',
      firstContact: '2025-04-15',
      support: [{ occurredOn: '2025-04-15', type: 'administrative', minutes: 99 }],
    },
    { municipality: 'GM1', firstContact: '2025-03-01' },
  ];

  it('sums minutes in the first 90 days of complete windows', () => {
    const cells = cohortOf(CASE, { asOf: ASOF })
      .map((t) => supportCell(t, ASOF))
      .filter((c): c is SupportCell => c !== null);
    const { total } = support(cells, G);
    expect([total.n, total.withAdministrative]).toEqual([3, 1]);
    expect(total.administrativeShare).toBeCloseTo(1 / 3, 15);
    expect(total.meanMinutes).toEqual({
      administrative: 50 / 3,
      financial_coaching: 0,
      income_management: 0,
      legal: 0,
      psychosocial: 15,
    });
  });
});

describe('response rate (hand-worked case)', () => {
  /*
   * R1: sent 01-02 (last day 01-16) answered 01-10: completed; sent 02-01 (02-15) answered 02-16: too late;
   *     sent 06-25 (07-09) unanswered: open on asOf; sent 07-01: after asOf, not counted.
   * R2: sent 03-01 (03-15) answered 03-15, on its last day: completed; sent 06-10 (06-24) unanswered: expired.
   * sent 5, completed 2, share 0.4, open 1. By month of sending: 2025-01 1/1, 2025-02 0/1, 2025-03 1/1, 2025-06 0/2 (1 open).
   */
  const CASE: TrajectoryRecord[] = [
    {
      municipality: 'GM1',
      firstContact: '2025-01-01',
      invitations: [
        {
          sentOn: '2025-01-02',
          expiresOn: '2025-01-16',
          completedOn: '2025-01-10',
        },
        {
          sentOn: '2025-02-01',
          expiresOn: '2025-02-15',
          completedOn: '2025-02-16',
        },
        { sentOn: '2025-06-25', expiresOn: '2025-07-09', completedOn: null },
        { sentOn: '2025-07-01', expiresOn: '2025-07-15', completedOn: null },
      ],
    },
    {
      municipality: 'GM1',
      firstContact: '2025-02-01',
      invitations: [
        {
          sentOn: '2025-03-01',
          expiresOn: '2025-03-15',
          completedOn: '2025-03-15',
        },
        { sentOn: '2025-06-10', expiresOn: '2025-06-24', completedOn: null },
      ],
    },
  ];

  it('counts invitations completed before expiry over those sent', () => {
    const cells = cohortOf(CASE, { asOf: ASOF }).flatMap((t) => responseRateCells(t, { asOf: ASOF }));
    const { total, rows } = responseRate(cells, {
      groupBy: ['period'],
      periodUnit: 'month',
    });
    expect([total.sent, total.completed, total.share, total.open]).toEqual([5, 2, 0.4, 1]);
    expect(rows.map((r) => [r.period, r.sent, r.completed, r.open])).toEqual([
      ['2025-01', 1, 1, 0],
      ['2025-02', 1, 0, 0],
      ['2025-03', 1, 1, 0],
      ['2025-06', 2, 0, 1],
    ]);
    const march = cohortOf(CASE, { asOf: ASOF }).flatMap((t) =>
      responseRateCells(t, {
        asOf: ASOF,
        sentFrom: '2025-03-01',
        sentTo: '2025-03-31',
      }),
    );
    expect(responseRate(march, G).total).toMatchObject({
      sent: 1,
      completed: 1,
      share: 1,
    });
  });
});
