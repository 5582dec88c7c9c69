/**
 * Scheduling rules of the questionnaire waves (issue: a wave at intake, every interval while the
 * trajectory is open, and a few days after each step change; none after closure or dropout; never
 * two invitations within 7 days, the later one is skipped). Pure: dates in, decisions out.
 */

export const CHANNELS = ['email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface QuestionnaireSchedule {
  intervalWeeks: number;
  delayAfterStepDays: number;
  reminderAfterDays: number;
  expiryDays: number;
  /** Spaartegoed per completed questionnaire, in euro cents. */
  creditCents: number;
  channels: Channel[];
}

export const DEFAULT_SCHEDULE: QuestionnaireSchedule = {
  intervalWeeks: 6,
  delayAfterStepDays: 3,
  reminderAfterDays: 4,
  expiryDays: 14,
  creditCents: 250,
  channels: ['email', 'sms'],
};

/** Two invitations are never closer together than this. */
export const MIN_DAYS_BETWEEN_INVITATIONS = 7;

export function validateSchedule(
  s: Partial<Record<keyof QuestionnaireSchedule, unknown>>,
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const int = (field: keyof QuestionnaireSchedule, min: number, max: number) => {
    const v = s[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      problems.push({ field, message: `must be a whole number from ${min} to ${max}` });
  };
  int('intervalWeeks', 1, 52);
  int('delayAfterStepDays', 0, 30);
  int('expiryDays', 1, 90);
  int('reminderAfterDays', 1, 89);
  int('creditCents', 0, 10000);
  if (
    problems.every((p) => p.field !== 'reminderAfterDays' && p.field !== 'expiryDays') &&
    (s.reminderAfterDays as number) >= (s.expiryDays as number)
  ) {
    problems.push({ field: 'reminderAfterDays', message: 'must be fewer days than expiryDays' });
  }
  const ch = s.channels;
  if (
    !Array.isArray(ch) ||
    ch.length === 0 ||
    ch.some((c) => !(CHANNELS as readonly string[]).includes(c as string)) ||
    new Set(ch).size !== ch.length
  ) {
    problems.push({ field: 'channels', message: `must name one or more of ${CHANNELS.join(', ')}, each once` });
  }
  return problems;
}

export type WaveKind = 'intake' | 'periodic' | 'step';

export interface Wave {
  /** Stable per trajectory: 'intake', 'periodic:3', 'step:iu_in_view'. */
  key: string;
  kind: WaveKind;
  dueOn: IsoDate;
}

export interface TrajectoryForPlanning {
  firstContact: IsoDate;
  status: 'open' | 'closed' | 'dropped_out';
  /** Standing step events (not first_contact): the step and the date it happened. */
  steps: { step: string; date: IsoDate }[];
}

/** Waves already decided: sent (or queued) invitations and waves skipped earlier. */
export interface DecidedWave {
  key: string;
  /** The day the invitation went out (or was due, for a skipped wave). */
  on: IsoDate;
  outcome: 'invited' | 'skipped';
}

/** Every wave the rules call for up to `today`, in due order (ties: intake, step, periodic). */
export function candidateWaves(t: TrajectoryForPlanning, schedule: QuestionnaireSchedule, today: IsoDate): Wave[] {
  const waves: Wave[] = [{ key: 'intake', kind: 'intake', dueOn: t.firstContact }];
  for (let k = 1; ; k++) {
    const dueOn = addDays(t.firstContact, k * schedule.intervalWeeks * 7);
    if (dueOn > today) break;
    waves.push({ key: `periodic:${k}`, kind: 'periodic', dueOn });
  }
  for (const s of t.steps)
    waves.push({ key: `step:${s.step}`, kind: 'step', dueOn: addDays(s.date, schedule.delayAfterStepDays) });
  const order: Record<WaveKind, number> = { intake: 0, step: 1, periodic: 2 };
  return waves
    .filter((w) => w.dueOn <= today)
    .sort((a, b) => (a.dueOn === b.dueOn ? order[a.kind] - order[b.kind] : a.dueOn < b.dueOn ? -1 : 1));
}

/**
 * What the planner does today for one trajectory: the waves to invite now and the waves to mark
 * skipped. An invitation goes out on the day the planner runs, so a wave is skipped when the last
 * invitation went out fewer than 7 days before today, and also when it was due longer ago than an
 * invitation stays valid (missed, e.g. history that was imported). Nothing for a closed or
 * dropped-out trajectory. Deterministic: running it twice on one day decides the same.
 */
export function planWaves(
  t: TrajectoryForPlanning,
  decided: DecidedWave[],
  schedule: QuestionnaireSchedule,
  today: IsoDate,
): { invite: Wave[]; skip: Wave[] } {
  if (t.status !== 'open') return { invite: [], skip: [] };
  const done = new Set(decided.map((d) => d.key));
  let last: IsoDate | null =
    decided
      .filter((d) => d.outcome === 'invited')
      .map((d) => d.on)
      .sort()
      .at(-1) ?? null;
  const invite: Wave[] = [];
  const skip: Wave[] = [];
  for (const wave of candidateWaves(t, schedule, today)) {
    if (done.has(wave.key)) continue;
    const missed = daysBetween(wave.dueOn, today) > schedule.expiryDays;
    const tooSoon = last !== null && daysBetween(last, today) < MIN_DAYS_BETWEEN_INVITATIONS;
    if (missed || tooSoon) {
      skip.push(wave);
    } else {
      invite.push(wave);
      last = today;
    }
  }
  return { invite, skip };
}

export interface InvitationDates {
  sentOn: IsoDate;
  completedOn: IsoDate | null;
  remindedOn: IsoDate | null;
}

export function expiresOn(sentOn: IsoDate, schedule: QuestionnaireSchedule): IsoDate {
  return addDays(sentOn, schedule.expiryDays);
}

/** open until and including the expiry day; one reminder on the reminder day or later, while open. */
export function invitationState(
  inv: InvitationDates,
  schedule: QuestionnaireSchedule,
  today: IsoDate,
): 'completed' | 'expired' | 'reminder_due' | 'open' {
  if (inv.completedOn) return 'completed';
  if (today > expiresOn(inv.sentOn, schedule)) return 'expired';
  if (!inv.remindedOn && daysBetween(inv.sentOn, today) >= schedule.reminderAfterDays) return 'reminder_due';
  return 'open';
}

/** The latest invitations, newest last: true when the last two both expired unanswered. */
export function twoUnansweredInARow(states: ('completed' | 'expired' | 'reminder_due' | 'open')[]): boolean {
  const ended = states.filter((s) => s === 'completed' || s === 'expired');
  return ended.length >= 2 && ended.at(-1) === 'expired' && ended.at(-2) === 'expired';
}
import { addDays, daysBetween, IsoDate } from '@klantmonitor/shared/domain';
