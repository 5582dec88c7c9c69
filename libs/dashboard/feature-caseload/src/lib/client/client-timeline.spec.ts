import type { ClientDetail } from '@klantmonitor/shared/domain';
import { buildTimeline } from './client-timeline';

/** Texts as keys with their parameters, so the test reads what the page would say. */
const t = (key: string, params?: Record<string, unknown>) => (params ? `${key} ${JSON.stringify(params)}` : key);

function client(over: Partial<ClientDetail> = {}): ClientDetail {
  return {
    id: 'c1',
    clientRef: 'NO-1',
    email: null,
    phone: null,
    contactErasedAt: null,
    householdType: null,
    incomeBand: null,
    birthYearBand: null,
    createdAt: '2026-03-01T08:00:00Z',
    trajectory: {
      id: 't1',
      municipality: { code: 'GM0193', name: 'Zwolle' },
      firstContact: '2026-03-01',
      status: 'open',
      steps: { first_contact: '2026-03-01' } as ClientDetail['trajectory']['steps'],
      currentStep: 'first_contact',
      stepEvents: [],
      dropout: null,
      closed: null,
      stalledSince: null,
      lastActivityOn: '2026-03-10',
      counselor: null,
    },
    support: [],
    activity: [],
    services: [],
    assessments: [],
    alerts: [],
    questionnaires: { invitations: [], responses: [] },
    spaartegoed: { balance: 0 },
    ...over,
  };
}

describe('buildTimeline', () => {
  it('orders days newest first and, within a day, the entry recorded last first', () => {
    // On 10 March: support recorded 09:00, a step recorded 11:30, a contact change at 10:15 and an
    // assessment (no moment of recording). Expected on that day: step (11:30), change (10:15),
    // support (09:00), then the assessment; then 1 March (the start).
    const c = client({
      trajectory: {
        ...client().trajectory,
        stepEvents: [
          {
            id: 's1',
            step: 'goal_known',
            date: '2026-03-10',
            source: 'manual',
            recordedAt: '2026-03-10T10:30:00Z',
            recordedBy: 'u1',
            recordedByName: 'Sanne',
            withdrawnAt: null,
          },
        ],
      },
      support: [
        {
          id: 'p1',
          date: '2026-03-10',
          type: 'administrative',
          minutes: 30,
          channel: 'phone',
          note: null,
          recordedAt: '2026-03-10T08:00:00Z',
          recordedByName: 'Sanne',
        },
      ],
      activity: [
        {
          at: '2026-03-10T09:15:00Z',
          action: 'client.update',
          actorName: 'Ahmed',
          note: null,
          details: { fields: ['email'] },
        },
      ],
      assessments: [{ assessedOn: '2026-03-10', clientType: { code: 'z', name: 'Zelfstandig' }, source: 'manual' }],
    });
    expect(buildTimeline(c, t, []).map((e) => e.kind)).toEqual(['step', 'activity', 'support', 'assessment', 'start']);
  });

  it('keeps the order of recording for entries without a moment, and names who recorded what', () => {
    const c = client({
      assessments: [
        { assessedOn: '2026-03-05', clientType: { code: 'a', name: 'Eerste' }, source: 'manual' },
        { assessedOn: '2026-03-05', clientType: { code: 'b', name: 'Tweede' }, source: 'manual' },
      ],
      activity: [
        { at: '2026-03-01T08:00:00Z', action: 'client.create', actorName: 'Sanne', note: null, details: null },
      ],
    });
    const entries = buildTimeline(c, t, []);
    expect(entries.map((e) => e.text)).toEqual([
      'client.assessed {"type":"Eerste"}',
      'client.assessed {"type":"Tweede"}',
      'client.started',
    ]);
    expect(entries[2]).toMatchObject({ by: 'Sanne', at: '2026-03-01T08:00:00Z' });
  });
});
