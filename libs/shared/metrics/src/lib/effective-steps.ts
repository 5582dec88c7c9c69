/**
 * Effective step dates, the monotone closure of docs/metrics.md: a counselor may mark a later step
 * without the earlier ones, so eff(s) = min(recorded(t) for t >= s). This is the one place it is
 * computed; the api stores its result on the trajectory, and analytics and the dashboard use it.
 */
import { STEP_CODES, StepCode } from '@klantmonitor/shared/domain';
import { STALLED_AFTER_DAYS } from '@klantmonitor/shared/domain';
import { addDays, daysBetween, IsoDate } from '@klantmonitor/shared/domain';

export type RecordedSteps = Partial<Record<StepCode, IsoDate | null | undefined>>;
export type EffectiveSteps = Record<StepCode, IsoDate | null>;

/** Effective dates of all six steps; events after `asOf` (when given) are ignored. */
export function effectiveStepDates(recorded: RecordedSteps, asOf?: IsoDate): EffectiveSteps {
  const result = {} as EffectiveSteps;
  let earliest: IsoDate | null = null;
  for (let i = STEP_CODES.length - 1; i >= 0; i--) {
    const step = STEP_CODES[i];
    const date = recorded[step];
    if (date && (asOf === undefined || date <= asOf) && (earliest === null || date < earliest)) earliest = date;
    result[step] = earliest;
  }
  return result;
}

/**
 * The phase on a date: the last step whose effective date is on or before it (at least
 * first_contact). Used for dropout phases and for the phase a questionnaire answer belongs to.
 */
export function phaseOn(effective: EffectiveSteps, date: IsoDate): StepCode {
  let phase: StepCode = 'first_contact';
  for (const step of STEP_CODES) {
    const eff = effective[step];
    if (eff !== null && eff <= date) phase = step;
  }
  return phase;
}

/** The furthest step reached so far (null only when not even first contact is recorded). */
export function currentStep(effective: EffectiveSteps): StepCode | null {
  let current: StepCode | null = null;
  for (const step of STEP_CODES) if (effective[step] !== null) current = step;
  return current;
}

/**
 * Stalled (docs/product.md): an open trajectory with no step change and no support contact for more
 * than STALLED_AFTER_DAYS days. Returns the first day it counts as stalled, or null.
 */
export function stalledSince(
  lastActivity: IsoDate,
  status: string,
  today: IsoDate,
  afterDays = STALLED_AFTER_DAYS,
): IsoDate | null {
  if (status !== 'open') return null;
  return daysBetween(lastActivity, today) > afterDays ? addDays(lastActivity, afterDays + 1) : null;
}
