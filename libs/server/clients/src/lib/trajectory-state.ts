import { EntityManager } from 'typeorm';
import {
  STEP_CODES,
  type StepCode,
  type StepDates,
  type TrajectoryStateResponse,
  type TrajectoryStatus,
} from '@klantmonitor/shared/domain';
import { prepared } from '@klantmonitor/server/db';
import { currentStep, effectiveStepDates, RecordedSteps, stalledSince } from '@klantmonitor/shared/metrics';

export interface TrajectoryFacts {
  /** Null while the request waits for its first meeting. */
  first_contact: string | null;
  registered_on: string;
  status: TrajectoryStatus;
  /** Standing (not withdrawn) step events: step -> date. */
  recorded: Record<string, string> | null;
  last_step: string | null;
  last_support: string | null;
}

/**
 * Recomputes what a trajectory derives from its events (effective step dates, current step, last
 * activity, stalled) after every change, in the caller's transaction. The rules themselves live in
 * @klantmonitor/shared/metrics; this only loads and stores.
 */
export async function refreshTrajectory(
  em: EntityManager,
  trajectoryId: string,
  today: string,
): Promise<TrajectoryStateResponse> {
  return storeTrajectoryState(em, trajectoryId, await readTrajectoryFacts(em, trajectoryId), today);
}

/** What the derived state is made of. Read it after taking the trajectory's lock, so it is current. */
export async function readTrajectoryFacts(em: EntityManager, trajectoryId: string): Promise<TrajectoryFacts> {
  const [row] = await prepared<TrajectoryFacts>(
    em,
    `SELECT t.first_contact, t.registered_on, t.status,
            (SELECT json_object_agg(e.step, e.occurred_on) FROM step_events e
              WHERE e.trajectory_id = t.id AND e.withdrawn_at IS NULL) AS recorded,
            (SELECT max(e.occurred_on) FROM step_events e WHERE e.trajectory_id = t.id AND e.withdrawn_at IS NULL) AS last_step,
            (SELECT max(s.occurred_on) FROM support_contacts s WHERE s.trajectory_id = t.id) AS last_support
     FROM trajectories t WHERE t.id = $1`,
    [trajectoryId],
  );
  return row;
}

/** The derived state of a trajectory (effective dates, current step, activity, stalled), from its facts. Pure. */
export function deriveTrajectoryState(
  trajectoryId: string,
  row: TrajectoryFacts,
  today: string,
): TrajectoryStateResponse {
  if (row.first_contact === null)
    // A waiting request (#26): no step reached, its request is its last activity, and it does not
    // stand still (the first-meeting term and its alert watch it instead).
    return {
      id: trajectoryId,
      status: row.status,
      steps: Object.fromEntries(STEP_CODES.map((c) => [c, null])) as StepDates,
      currentStep: null,
      stalledSince: null,
      lastActivityOn: row.registered_on,
    };
  const recorded: RecordedSteps = { ...(row.recorded ?? {}), first_contact: row.first_contact };
  const steps = effectiveStepDates(recorded) as StepDates;
  const lastActivityOn = [row.first_contact, row.last_step, row.last_support]
    .filter((d): d is string => !!d)
    .sort()
    .at(-1) as string;
  return {
    id: trajectoryId,
    status: row.status,
    steps,
    currentStep: currentStep(steps) as StepCode,
    stalledSince: stalledSince(lastActivityOn, row.status, today),
    lastActivityOn,
  };
}

/** The statement that stores a derived state with its stalled alert (raised, or resolved; sql/alerts): one round trip. */
export const STORE_STATE_SQL = `WITH t AS (
       UPDATE trajectories SET effective_steps = $2, current_step = $3, last_activity_on = $4, stalled_since = $5, updated_at = now()
       WHERE id = $1
     )
     SELECT km_alert_sync_stalled($1, $5::date, $4::date)`;

/** The parameters of STORE_STATE_SQL for a state. */
export const storeStateParams = (s: TrajectoryStateResponse): unknown[] => [
  s.id,
  JSON.stringify(s.steps),
  s.currentStep,
  s.lastActivityOn,
  s.stalledSince,
];

/** Derives the state from `row` (effective dates, current step, activity, stalled) and stores it. */
export async function storeTrajectoryState(
  em: EntityManager,
  trajectoryId: string,
  row: TrajectoryFacts,
  today: string,
): Promise<TrajectoryStateResponse> {
  const state = deriveTrajectoryState(trajectoryId, row, today);
  await prepared(em, STORE_STATE_SQL, storeStateParams(state));
  return state;
}
