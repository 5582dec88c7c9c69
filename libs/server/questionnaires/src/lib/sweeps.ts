import { IsoDate } from '@klantmonitor/shared/domain';
import { EntityManager } from 'typeorm';
import { deliveryJobId, enqueue, JOBS, QUEUES } from '@klantmonitor/server/queues';
import { alertsRepository } from '@klantmonitor/server/db';
import { loadSchedule } from './schedule.repository';

export interface SweepResult {
  reminders: number;
  expired: number;
  unansweredAlerts: number;
}

/**
 * One organisation's daily upkeep as of `today`: queue the one reminder of every open invitation
 * that reached its reminder day, expire invitations past their last day, and flag clients who left
 * the last two invitations unanswered. Safe to run any number of times on a day.
 */
export async function sweepOrganisation(em: EntityManager, today: IsoDate): Promise<SweepResult> {
  const schedule = await loadSchedule(em);
  // TypeORM answers an UPDATE ... RETURNING with [rows, rowCount].
  const [reminders]: [{ id: string; channel: string | null }[], number] = await em.query(
    `UPDATE invitations SET reminder_status = 'pending'
     WHERE delivery_status = 'sent' AND completed_at IS NULL AND expired_at IS NULL AND reminder_status IS NULL
       AND sent_on + $1::int <= $2::date AND expires_on >= $2::date
     RETURNING id, channel`,
    [schedule.reminderAfterDays, today],
  );
  await enqueue(
    em,
    reminders.map((r) => ({
      queue: r.channel === 'sms' ? QUEUES.deliverSms : QUEUES.deliverEmail,
      name: JOBS.sendReminder,
      jobId: deliveryJobId('remind', r.id),
      payload: { invitationId: r.id },
    })),
  );
  const [expiredRows] = await em.query(
    `UPDATE invitations SET expired_at = now()
     WHERE delivery_status = 'sent' AND completed_at IS NULL AND expired_at IS NULL AND expires_on < $1::date
     RETURNING trajectory_id`,
    [today],
  );
  const trajectories = [...new Set((expiredRows as { trajectory_id: string }[]).map((r) => r.trajectory_id))];
  let unansweredAlerts = 0;
  if (trajectories.length > 0) {
    // The last two invitations that ended (answered or expired), newest first: both expired = flag.
    unansweredAlerts = await alertsRepository.raiseUnanswered(em, trajectories, today);
  }
  return { reminders: reminders.length, expired: (expiredRows as unknown[]).length, unansweredAlerts };
}
