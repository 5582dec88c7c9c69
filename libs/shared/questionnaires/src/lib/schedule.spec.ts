import { addDays } from '@klantmonitor/shared/domain';
import {
  candidateWaves,
  DecidedWave,
  DEFAULT_SCHEDULE,
  expiresOn,
  invitationState,
  planWaves,
  TrajectoryForPlanning,
  twoUnansweredInARow,
  validateSchedule,
} from './schedule';

const S = DEFAULT_SCHEDULE; // every 6 weeks, 3 days after a step, reminder after 4, expiry 14 days
const start = '2025-01-06';
const d = (n: number) => addDays(start, n);
const open = (steps: { step: string; date: string }[] = []): TrajectoryForPlanning => ({
  firstContact: start,
  status: 'open',
  steps,
});

/** Runs the planner every day from day 0 to `days`, feeding back its decisions, and lists the invitations. */
function simulate(t: TrajectoryForPlanning, days: number): { key: string; on: string }[] {
  const decided: DecidedWave[] = [];
  for (let n = 0; n <= days; n++) {
    const today = d(n);
    const visible = { ...t, steps: t.steps.filter((s) => s.date <= today) };
    const { invite, skip } = planWaves(visible, decided, S, today);
    for (const w of invite) decided.push({ key: w.key, on: today, outcome: 'invited' });
    for (const w of skip) decided.push({ key: w.key, on: today, outcome: 'skipped' });
  }
  return decided.filter((x) => x.outcome === 'invited').map(({ key, on }) => ({ key, on }));
}

describe('questionnaire waves', () => {
  it('invites at intake and every 6 weeks while the trajectory is open', () => {
    // Day 0 intake; periodic waves at days 42 and 84 (6 * 7 = 42).
    expect(simulate(open(), 90)).toEqual([
      { key: 'intake', on: d(0) },
      { key: 'periodic:1', on: d(42) },
      { key: 'periodic:2', on: d(84) },
    ]);
  });

  it('invites 3 days after a step change, and skips a wave within 7 days of the previous invitation', () => {
    // goal_known on day 2 -> due day 5, only 5 days after the intake invitation: skipped.
    // iu_in_view on day 20 -> due day 23: invited (23 days after intake).
    // approach_set on day 38 -> due day 41: invited; periodic:1 due day 42 is 1 day later: skipped.
    const t = open([
      { step: 'goal_known', date: d(2) },
      { step: 'iu_in_view', date: d(20) },
      { step: 'approach_set', date: d(38) },
    ]);
    expect(simulate(t, 90)).toEqual([
      { key: 'intake', on: d(0) },
      { key: 'step:iu_in_view', on: d(23) },
      { key: 'step:approach_set', on: d(41) },
      { key: 'periodic:2', on: d(84) },
    ]);
  });

  it('plans nothing after dropout or closure', () => {
    expect(planWaves({ ...open(), status: 'dropped_out' }, [], S, d(42))).toEqual({ invite: [], skip: [] });
    expect(planWaves({ ...open(), status: 'closed' }, [], S, d(0))).toEqual({ invite: [], skip: [] });
  });

  it('skips waves that were due longer ago than an invitation stays valid (imported history)', () => {
    // A trajectory imported on day 100 with a step on day 60: intake (day 0), periodic:1 (42),
    // step:goal_known (63) and periodic:2 (84) are all more than 14 days old; nothing due within 14 days.
    const t = open([{ step: 'goal_known', date: d(60) }]);
    const today = d(100);
    const { invite, skip } = planWaves(t, [], S, today);
    expect(invite).toEqual([]);
    expect(skip.map((w) => w.key)).toEqual(['intake', 'periodic:1', 'step:goal_known', 'periodic:2']);
    // On day 126 periodic:3 (due day 126) goes out.
    const decided = skip.map((w) => ({ key: w.key, on: today, outcome: 'skipped' as const }));
    expect(planWaves(t, decided, S, d(126)).invite.map((w) => w.key)).toEqual(['periodic:3']);
  });

  it('decides the same when run twice on one day, and never repeats a decided wave', () => {
    const t = open([{ step: 'goal_known', date: d(10) }]);
    const first = planWaves(t, [{ key: 'intake', on: d(0), outcome: 'invited' }], S, d(13));
    expect(first.invite.map((w) => w.key)).toEqual(['step:goal_known']);
    expect(planWaves(t, [{ key: 'intake', on: d(0), outcome: 'invited' }], S, d(13))).toEqual(first);
    const after = planWaves(
      t,
      [
        { key: 'intake', on: d(0), outcome: 'invited' },
        { key: 'step:goal_known', on: d(13), outcome: 'invited' },
      ],
      S,
      d(13),
    );
    expect(after).toEqual({ invite: [], skip: [] });
  });

  it('orders candidates by due date, intake before a step on the same day', () => {
    const waves = candidateWaves(open([{ step: 'goal_known', date: d(-3) }]), S, d(0));
    expect(waves.map((w) => [w.key, w.dueOn])).toEqual([
      ['intake', d(0)],
      ['step:goal_known', d(0)],
    ]);
  });
});

describe('invitations', () => {
  it('is open, then due for one reminder on day 4, and expired after day 14', () => {
    const inv = { sentOn: d(0), completedOn: null, remindedOn: null };
    expect(expiresOn(d(0), S)).toBe(d(14));
    expect(invitationState(inv, S, d(3))).toBe('open');
    expect(invitationState(inv, S, d(4))).toBe('reminder_due');
    expect(invitationState({ ...inv, remindedOn: d(4) }, S, d(10))).toBe('open');
    expect(invitationState({ ...inv, remindedOn: d(4) }, S, d(14))).toBe('open');
    expect(invitationState({ ...inv, remindedOn: d(4) }, S, d(15))).toBe('expired');
    expect(invitationState({ ...inv, completedOn: d(20) }, S, d(30))).toBe('completed');
  });

  it('flags two invitations in a row left unanswered', () => {
    expect(twoUnansweredInARow(['completed', 'expired', 'expired'])).toBe(true);
    expect(twoUnansweredInARow(['expired', 'completed', 'expired'])).toBe(false);
    // A still-open invitation does not break the row of ended ones.
    expect(twoUnansweredInARow(['expired', 'expired', 'open'])).toBe(true);
    expect(twoUnansweredInARow(['expired'])).toBe(false);
  });
});

describe('schedule settings', () => {
  it('accepts the defaults and names each setting out of range', () => {
    expect(validateSchedule(DEFAULT_SCHEDULE)).toEqual([]);
    expect(
      validateSchedule({ ...DEFAULT_SCHEDULE, intervalWeeks: 0, expiryDays: 91, creditCents: -1, channels: [] }).map(
        (p) => p.field,
      ),
    ).toEqual(['intervalWeeks', 'expiryDays', 'creditCents', 'channels']);
    expect(validateSchedule({ ...DEFAULT_SCHEDULE, reminderAfterDays: 14 })).toEqual([
      { field: 'reminderAfterDays', message: 'must be fewer days than expiryDays' },
    ]);
    expect(validateSchedule({ ...DEFAULT_SCHEDULE, channels: ['email', 'email'] }).map((p) => p.field)).toEqual([
      'channels',
    ]);
    expect(validateSchedule({ ...DEFAULT_SCHEDULE, intervalWeeks: 2.5 }).map((p) => p.field)).toEqual([
      'intervalWeeks',
    ]);
  });
});
