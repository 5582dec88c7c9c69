import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** How far back the admin's start page looks for invitations that could not be delivered. */
export const DELIVERY_FAILURE_DAYS = 30;

export interface DeliveryFailureRow {
  client_id: string;
  client_ref: string;
  wave_key: string;
  channel: 'email' | 'sms' | null;
  planned_on: string;
  failed_reason: string | null;
}

/** Reads of the invitations table (owned by the questionnaires feature) for failed deliveries. */
@Injectable()
export class DeliveryFailuresRepository {
  async recent(
    em: EntityManager,
    today: string,
    limit: number,
  ): Promise<{ total: number; rows: DeliveryFailureRow[] }> {
    const rows: (DeliveryFailureRow & { total: number })[] = await em.query(
      `SELECT c.id AS client_id, c.client_ref, i.wave_key, i.channel, i.planned_on::text AS planned_on, i.failed_reason,
              count(*) OVER ()::int AS total
       FROM invitations i JOIN trajectories t ON t.id = i.trajectory_id JOIN clients c ON c.id = t.client_id
       WHERE i.delivery_status = 'failed' AND i.planned_on >= $1::date - $2::int
       ORDER BY i.planned_on DESC, c.client_ref LIMIT $3`,
      [today, DELIVERY_FAILURE_DAYS, limit],
    );
    return { total: rows[0]?.total ?? 0, rows };
  }
}
