import { EntityManager } from 'typeorm';
import { alertsRepository } from '@klantmonitor/server/db';
import { STALLED_AFTER_DAYS } from '@klantmonitor/shared/domain';

/**
 * Flags the current organisation's open trajectories with no step change or support contact for
 * more than STALLED_AFTER_DAYS days (the SQL form of `stalledSince` in shared/metrics, for
 * bulk use), and opens a `stalled` alert for every stalled trajectory that has none.
 * With it, the first-meeting alert (#26): a waiting request whose alert day (the last working day
 * before its legal term, computed when it was registered) has come gets one.
 * Idempotent: running it twice on one day changes nothing the second time.
 */
export async function markStalled(
  em: EntityManager,
  today: string,
): Promise<{ flagged: number; alerts: number; firstMeetingAlerts: number }> {
  const [, flagged] = await em.query(
    `UPDATE trajectories SET stalled_since = last_activity_on + ($2::int + 1), updated_at = now()
     WHERE status = 'open' AND stalled_since IS NULL AND first_contact IS NOT NULL AND last_activity_on < $1::date - $2::int`,
    [today, STALLED_AFTER_DAYS],
  );
  const alerts = await alertsRepository.raiseStalled(em);
  const firstMeetingAlerts = await alertsRepository.raiseFirstMeeting(em, today);
  return { flagged: Number(flagged ?? 0), alerts, firstMeetingAlerts };
}
