import { addDays } from '@klantmonitor/shared/domain';
import { effectiveStepDates } from '@klantmonitor/shared/metrics';
import { demoAnswers, demoHistory, type DemoTrajectory } from './demo-responses.seed';
import { prng } from './demo-clients.seed';

const always = (x: number) => () => x;

describe('demo questionnaire history', () => {
  // First contact 1 Jan; goal known 5 Jan (its wave due 8 Jan, 7 days after the intake wave: sent);
  // approach set 10 Jan (due 13 Jan, 5 days after 8 Jan: skipped, too soon); periodic:1 due 1 Jan +
  // 42 days = 12 Feb (sent). Today 20 Feb, still open.
  const t: DemoTrajectory = {
    firstContact: '2026-01-01',
    endOn: null,
    droppedOut: false,
    steps: [
      { step: 'goal_known', date: '2026-01-05' },
      { step: 'approach_set', date: '2026-01-10' },
    ],
    effective: effectiveStepDates({
      first_contact: '2026-01-01',
      goal_known: '2026-01-05',
      approach_set: '2026-01-10',
    }),
    type: 0,
  };

  it('plans the waves as the planner does, skipping one within 7 days of the last', () => {
    const h = demoHistory(t, '2026-02-20', always(0.99));
    expect(h.map((x) => [x.waveKey, x.sentOn])).toEqual([
      ['intake', '2026-01-01'],
      ['step:goal_known', '2026-01-08'],
      ['step:approach_set', null],
      ['periodic:1', '2026-02-12'],
    ]);
    // rand 0.99 is above every answer chance: nothing answered, invitations expire 14 days after sending.
    expect(h.every((x) => x.respondedOn === null)).toBe(true);
    expect(h[0].expiresOn).toBe('2026-01-15');
  });

  it('answers on the day of sending with rand 0, in the phase of that day', () => {
    const h = demoHistory(t, '2026-02-20', always(0)).filter((x) => x.sentOn);
    expect(h.map((x) => [x.respondedOn, x.phase])).toEqual([
      ['2026-01-01', 'first_contact'],
      ['2026-01-08', 'goal_known'],
      ['2026-02-12', 'approach_set'],
    ]);
  });

  it('stops at dropout: no wave on or after the day the client dropped out', () => {
    const h = demoHistory({ ...t, endOn: '2026-01-08', droppedOut: true }, '2026-02-20', always(0.99));
    expect(h.map((x) => x.waveKey)).toEqual(['intake']);
  });

  it('scores by type and phase as the profile says (noise 0 with rand 0.5)', () => {
    // Self-reliant at first contact: onrust 3.3 -> 3, geloof 3.6 -> 4, geluisterd 4.1 -> 4,
    // goed geholpen 4.0 -> 4, weet wat te doen 3.9 -> 4.
    expect(demoAnswers(0, 'first_contact', false, always(0.5))).toEqual({
      onrust_financien: 3,
      geloof_in_oplossing: 4,
      geluisterd: 4,
      goed_geholpen: 4,
      weet_wat_te_doen: 4,
    });
    // Vulnerable, in balance (4 steps on): onrust 4.1 - 1.2 = 2.9 -> 3; geloof 2.8 + 0.8 = 3.6 -> 4;
    // geluisterd 3.4 + 0.2 - 0.8 (dropped out later) = 2.8 -> 3; goed 3.2 + 0.48 - 0.8 = 2.88 -> 3;
    // weet 2.8 + 0.6 = 3.4 -> 3.
    expect(demoAnswers(2, 'iu_in_balance', true, always(0.5))).toEqual({
      onrust_financien: 3,
      geloof_in_oplossing: 4,
      geluisterd: 3,
      goed_geholpen: 3,
      weet_wat_te_doen: 3,
    });
  });

  it('answers about 55% of invitations over the study mix, the self-reliant more often and more positively', () => {
    const rand = prng(1);
    const today = '2026-06-30';
    const byType = [0, 1, 2].map(() => ({ sent: 0, answered: 0, helped: 0 }));
    for (let i = 0; i < 3000; i++) {
      const type = i % 20 < 8 ? 0 : i % 20 < 15 ? 1 : 2; // 40%, 35%, 25%
      const first = addDays(today, -30 - (i % 200));
      const h = demoHistory(
        {
          firstContact: first,
          endOn: null,
          droppedOut: false,
          steps: [],
          effective: effectiveStepDates({ first_contact: first }),
          type,
        },
        today,
        rand,
      );
      for (const x of h.filter((y) => y.sentOn && y.expiresOn! < today)) {
        byType[type].sent++;
        if (x.answers) {
          byType[type].answered++;
          byType[type].helped += x.answers['goed_geholpen'];
        }
      }
    }
    const sent = byType.reduce((s, x) => s + x.sent, 0);
    const answered = byType.reduce((s, x) => s + x.answered, 0);
    expect(answered / sent).toBeGreaterThan(0.5);
    expect(answered / sent).toBeLessThan(0.6);
    const rate = byType.map((x) => x.answered / x.sent);
    expect(rate[0]).toBeGreaterThan(rate[2] + 0.1);
    const helped = byType.map((x) => x.helped / x.answered);
    expect(helped[0]).toBeGreaterThan(helped[2] + 0.5);
  });
});
