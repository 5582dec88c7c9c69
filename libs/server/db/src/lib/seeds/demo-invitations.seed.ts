import { todayInAmsterdam } from '@klantmonitor/shared/domain';
import { DataSource } from 'typeorm';
import { deliveryJobId, enqueue, JOBS, QUEUES } from '@klantmonitor/server/queues';

/**
 * Demo only: a few open invitations per demo organisation, written like the planner writes them
 * (invitation + send job in the outbox), so the running worker delivers them to the local inbox
 * and a person can open one and answer it. The most recent open trajectories of clients with an
 * e-mail address get their current wave (intake, or the latest periodic one). Runs once.
 */
export async function seedDemoInvitations(
  ds: DataSource,
  perOrganisation = 3,
  today = todayInAmsterdam(),
): Promise<number> {
  const orgs: { id: string }[] = await ds.query(
    `SELECT o.id FROM organisations o WHERE o.name IN ('Schuldhulp Noord-Oost', 'Kredietbank Rijn en Gouwe')
       AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.organisation_id = o.id) ORDER BY o.name`,
  );
  let made = 0;
  for (const org of orgs) {
    await ds.transaction(async (em) => {
      const rows: { id: string }[] = await em.query(
        `WITH picked AS (
           SELECT t.id, t.first_contact, (($2::date - t.first_contact) / 42) AS k
           FROM trajectories t JOIN clients c ON c.id = t.client_id
           WHERE t.organisation_id = $1 AND t.status = 'open' AND t.first_contact IS NOT NULL AND c.email_enc IS NOT NULL
           ORDER BY t.first_contact DESC, t.id LIMIT $3),
         ins AS (
           INSERT INTO invitations (organisation_id, trajectory_id, wave_key, wave_kind, due_on, planned_on, outcome, template_id, credit_cents, channel, delivery_status)
           SELECT $1, p.id, CASE WHEN p.k = 0 THEN 'intake' ELSE 'periodic:' || p.k END, CASE WHEN p.k = 0 THEN 'intake' ELSE 'periodic' END,
                  p.first_contact + (p.k * 42)::int, $2, 'invited',
                  (SELECT id FROM questionnaire_templates WHERE code = 'klantbeleving' ORDER BY version DESC LIMIT 1), 250, 'email', 'pending'
           FROM picked p
           ON CONFLICT (trajectory_id, wave_key) DO NOTHING
           RETURNING id)
         SELECT id FROM ins`,
        [org.id, today, perOrganisation],
      );
      // Delivery jobs through the one way into the outbox (as the organisation: km_enqueue writes its rows).
      await em.query(`SELECT set_config('app.organisation_id', $1, true)`, [org.id]);
      await enqueue(
        em,
        rows.map((r) => ({
          queue: QUEUES.deliverEmail,
          name: JOBS.sendInvitation,
          jobId: deliveryJobId('send', r.id),
          payload: { invitationId: r.id },
        })),
      );
      made += rows.length;
    });
  }
  return made;
}
