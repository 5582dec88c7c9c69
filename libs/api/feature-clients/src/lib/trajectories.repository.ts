import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { CloseReason, RecordSupportRequest } from '@klantmonitor/shared/domain';
import { alertsRepository } from '@klantmonitor/server/db';

/**
 * New SQL of the trajectories table (docs/data-access.md; the older statements of the counselor
 * workflow still live in trajectories.service.ts until the "House in order" issue moves them).
 */
@Injectable()
export class TrajectoriesRepository {
  /** Closes an open trajectory on `date`; its open signals are handled with it. */
  async close(em: EntityManager, id: string, date: string, reason: CloseReason): Promise<void> {
    await em.query(
      `UPDATE trajectories SET status = 'closed', closed_on = $2, closed_reason = $3, stalled_since = NULL, updated_at = now() WHERE id = $1`,
      [id, date, reason],
    );
    await alertsRepository.resolve(em, id);
  }

  /** Opens a closed trajectory again; the nightly check decides afresh whether it stands still. */
  async reopen(em: EntityManager, id: string): Promise<void> {
    await em.query(
      `UPDATE trajectories SET status = 'open', closed_on = NULL, closed_reason = NULL, updated_at = now() WHERE id = $1`,
      [id],
    );
  }

  /** A support contact; the note arrives sealed. */
  async addSupport(
    em: EntityManager,
    id: string,
    c: RecordSupportRequest,
    noteEnc: Buffer | null,
    recordedBy: string,
  ): Promise<void> {
    await em.query(
      `INSERT INTO support_contacts (organisation_id, trajectory_id, occurred_on, type, minutes, channel, note_enc, recorded_by)
       VALUES (km_current_organisation_id(), $1, $2, $3, $4, $5, $6, $7)`,
      [id, c.date, c.type, c.minutes, c.channel, noteEnc, recordedBy],
    );
  }
}
