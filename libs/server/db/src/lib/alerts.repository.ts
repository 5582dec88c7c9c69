import type { EntityManager } from 'typeorm';

export type AlertKind = 'stalled' | 'low_experience' | 'unanswered' | 'first_meeting';

export interface OpenAlertRow {
  id: string;
  kind: AlertKind;
  raised_on: string;
  details: Record<string, unknown> | null;
}

/**
 * The alerts table (the counselor's signals). Every write is a function of
 * `libs/server/db/sql/alerts/alerts-v1.sql`; this file is how api and worker call them, in the
 * caller's transaction (row-level security applies). Read models (caseload, worklist) join
 * `alerts` read-only in their own queries.
 */
export const alertsRepository = {
  /** Raises one alert; false when one of that kind was open already. */
  async raise(
    em: EntityManager,
    trajectoryId: string,
    kind: AlertKind,
    on: string,
    details: object | null,
  ): Promise<boolean> {
    const [r]: { raised: boolean }[] = await em.query('SELECT km_alert_raise($1, $2, $3, $4) AS raised', [
      trajectoryId,
      kind,
      on,
      details === null ? null : JSON.stringify(details),
    ]);
    return r.raised;
  },

  /** Resolves a trajectory's open alerts of these kinds (all kinds when none are given). */
  async resolve(em: EntityManager, trajectoryId: string, kinds?: AlertKind[]): Promise<number> {
    const [r]: { n: number }[] = await em.query('SELECT km_alert_resolve($1, $2) AS n', [trajectoryId, kinds ?? null]);
    return r.n;
  },

  /** A counselor handles one open alert: its kind and client, or null when there is no such open one. */
  async resolveOne(em: EntityManager, alertId: string): Promise<{ kind: AlertKind; client_id: string } | null> {
    const [r]: { kind: AlertKind; client_id: string }[] = await em.query(
      'SELECT kind, client_id FROM km_alert_resolve_one($1)',
      [alertId],
    );
    return r ?? null;
  },

  /** The nightly check: a stalled alert for every stalled open trajectory without one; how many. */
  async raiseStalled(em: EntityManager): Promise<number> {
    const [r]: { n: number }[] = await em.query('SELECT km_alerts_raise_stalled() AS n');
    return r.n;
  },

  /** The daily check of waiting requests: a first_meeting alert where the alert day has come; how many. */
  async raiseFirstMeeting(em: EntityManager, today: string): Promise<number> {
    const [r]: { n: number }[] = await em.query('SELECT km_alerts_raise_first_meeting($1) AS n', [today]);
    return r.n;
  },

  /** "Two unanswered in a row" among these trajectories; how many were raised. */
  async raiseUnanswered(em: EntityManager, trajectoryIds: string[], on: string): Promise<number> {
    const [r]: { n: number }[] = await em.query('SELECT km_alerts_raise_unanswered($1::uuid[], $2) AS n', [
      trajectoryIds,
      on,
    ]);
    return r.n;
  },

  /** After an import: alerts that no longer apply to these trajectories end; how many. */
  async resolveSettled(em: EntityManager, trajectoryIds: string[]): Promise<number> {
    const [r]: { n: number }[] = await em.query('SELECT km_alerts_resolve_settled($1::uuid[]) AS n', [trajectoryIds]);
    return r.n;
  },

  /** A trajectory's open alerts, oldest first (the client record). */
  open(em: EntityManager, trajectoryId: string): Promise<OpenAlertRow[]> {
    return em.query(
      'SELECT id, kind, raised_on, details FROM alerts WHERE trajectory_id = $1 AND resolved_at IS NULL ORDER BY raised_on',
      [trajectoryId],
    );
  },
};
