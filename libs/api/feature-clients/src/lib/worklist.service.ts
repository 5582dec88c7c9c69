import { overdueDays, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { Injectable } from '@nestjs/common';
import { AuthUser } from '@klantmonitor/api/core';
import { TenantDb } from '@klantmonitor/server/db';
import { WorklistQueryDto } from './dto/worklist.dto';
import { WorklistRepository } from '@klantmonitor/server/clients';

/** The counselor's day (docs/api.md "GET /worklist"): what needs attention, most urgent first. */
@Injectable()
export class WorklistService {
  constructor(
    private readonly db: TenantDb,
    private readonly repo: WorklistRepository,
  ) {}

  get(user: AuthUser, q: WorklistQueryDto) {
    const scope = q.scope ?? (user.role === 'counselor' ? 'mine' : 'team');
    const s = {
      counselorId: scope === 'mine' ? user.id : null,
      today: todayInAmsterdam(),
    };
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      // One after the other: the lists share the transaction (and its tenant setting).
      const waiting = await this.repo.firstMeetings(em, s);
      const firstMeetings = waiting.map((l) => ({ ...l, overdueDays: overdueDays(l.dueOn, s.today) }));
      const alerts = await this.repo.alerts(em, s);
      const stalled = await this.repo.stalled(em, s);
      const newResponses = await this.repo.newResponses(em, s);
      const expiringInvitations = await this.repo.expiringInvitations(em, s);
      const quiet = await this.repo.quiet(em, s);
      return {
        scope,
        today: s.today,
        firstMeetings,
        alerts,
        stalled,
        newResponses,
        expiringInvitations,
        quiet,
      };
    });
  }
}
