import { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_INTAKE_ITEM_CODES, addDays, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { prepareSegmentationData, profile, runScenarios, type KmeansFn } from '@klantmonitor/shared/metrics';
import { saveModel, writeModelAssessments } from '@klantmonitor/server/segmentation';
import { prng, TYPES } from './demo-clients.seed';

/** The personas of the study, as the demo's organisation admin named the three segments. */
const PERSONAS: Record<string, string> = {
  zelfstandige: 'Regelt veel zelf en het liefst online; wil snel antwoord en zelf kiezen hoe.',
  afhankelijke: 'Wil een persoon spreken en de tijd nemen; vertrouwt op de hulpverlener.',
  kwetsbare: 'Vindt brieven en de weg naar hulp moeilijk en heeft naast geldzorgen ook andere zorgen.',
};

/** Share of earlier types that are the same at intake: the debtor study found 89-99% after a year. */
const SAME_TYPE = 0.94;

/**
 * The demo's segmentation (#12), for both demo organisations, once:
 *  - type history: 60% of the clients were assessed 1 to 2 years before their intake (an earlier
 *    contact, imported from the previous system), with the same type for 94% of them, so the
 *    transition heat map shows the study's stability;
 *  - a completed run over everyone's latest intake answers (k = 2..6, 5 restarts, seed 42), stored
 *    like the worker stores one, and its k = 3 scenario in use: each segment named after the type
 *    most of its clients had, with the study's personas as descriptions; the run's clients get an
 *    assessment of that type on the day of their answers, as activation in the product does.
 * k-means is ml-kmeans (ESM-only), passed in by the api's `migrate` command.
 */
export async function seedDemoSegmentation(
  ds: DataSource,
  kmeans: KmeansFn,
  today = todayInAmsterdam(),
): Promise<number> {
  const orgs: { id: string }[] = await ds.query(
    `SELECT o.id FROM organisations o
     WHERE o.name IN ('Schuldhulp Noord-Oost', 'Kredietbank Rijn en Gouwe')
       AND NOT EXISTS (SELECT 1 FROM segmentation_runs r WHERE r.organisation_id = o.id)
       AND EXISTS (SELECT 1 FROM intake_answers i WHERE i.organisation_id = o.id)
     ORDER BY o.name`,
  );
  let typed = 0;
  for (const [orgIndex, org] of orgs.entries())
    await ds.transaction(async (em) => {
      await em.query(`SELECT set_config('app.organisation_id', $1, true)`, [org.id]);
      await seedHistory(em, org.id, orgIndex);
      typed += await seedRun(em, org.id, kmeans, today);
    });
  return typed;
}

async function seedHistory(em: EntityManager, orgId: string, orgIndex: number): Promise<void> {
  const rand = prng(20261130 + orgIndex);
  const intake: { client_id: string; assessed_on: string; code: string }[] = await em.query(
    `SELECT DISTINCT ON (a.client_id) a.client_id, a.assessed_on::text AS assessed_on, ct.code
     FROM assessments a JOIN client_types ct ON ct.id = a.client_type_id
     WHERE a.organisation_id = $1 ORDER BY a.client_id, a.assessed_on`,
    [orgId],
  );
  const typeIds = new Map<string, string>(
    (await em.query('SELECT code, id FROM client_types WHERE organisation_id = $1', [orgId])).map(
      (r: { code: string; id: string }) => [r.code, r.id],
    ),
  );
  const rows: [string, string, string][] = [];
  for (const a of intake) {
    if (rand() >= 0.6) continue;
    const others = TYPES.map((t) => t.code).filter((c) => c !== a.code);
    const code = rand() < SAME_TYPE ? a.code : others[Math.floor(rand() * others.length)];
    const typeId = typeIds.get(code);
    if (typeId) rows.push([a.client_id, addDays(a.assessed_on, -365 - Math.floor(rand() * 365)), typeId]);
  }
  await em.query(
    `INSERT INTO assessments (organisation_id, client_id, assessed_on, client_type_id, source)
     SELECT $1, r.client_id, r.day, r.type_id, 'import' FROM unnest($2::uuid[], $3::date[], $4::uuid[]) AS r(client_id, day, type_id)
     ON CONFLICT ON CONSTRAINT uq_assessments_client_day DO NOTHING`,
    [orgId, rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
  );
}

async function seedRun(em: EntityManager, orgId: string, kmeans: KmeansFn, today: string): Promise<number> {
  const latest: {
    client_id: string;
    day: string;
    answers: Record<string, number>;
    code: string | null;
  }[] = await em.query(
    `SELECT DISTINCT ON (i.client_id) i.client_id, i.answered_on::text AS day, i.answers,
            (SELECT ct.code FROM assessments a JOIN client_types ct ON ct.id = a.client_type_id
             WHERE a.client_id = i.client_id AND a.assessed_on <= i.answered_on + 30 ORDER BY a.assessed_on DESC LIMIT 1) AS code
     FROM intake_answers i WHERE i.organisation_id = $1 ORDER BY i.client_id, i.answered_on DESC`,
    [orgId],
  );
  const items = [...DEFAULT_INTAKE_ITEM_CODES];
  const data = prepareSegmentationData(
    latest.map((r) => ({ clientId: r.client_id, answers: r.answers })),
    items,
  );
  const options = { kMin: 2, kMax: 6, restarts: 5, seed: 42 };
  const scenarios = runScenarios(data.z, options, kmeans);
  const [{ id: runId }]: { id: string }[] = await em.query(
    `INSERT INTO segmentation_runs (organisation_id, state, progress, params, n, excluded, items, dropped_items, means, sds, scenarios,
                                    created_at, started_at, finished_at)
     VALUES ($1, 'completed', 1, $2::jsonb, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::date + time '09:00', $10::date + time '09:00', $10::date + time '09:01')
     RETURNING id`,
    [
      orgId,
      JSON.stringify({
        ...options,
        items,
        answeredFrom: null,
        answeredTo: null,
      }),
      data.clientIds.length,
      data.excluded,
      data.items,
      data.droppedItems,
      data.means,
      data.sds,
      JSON.stringify(
        scenarios.map(({ clusters, ...s }) => ({
          ...s,
          profile: profile(data.raw, data.z, clusters, s.k, data.items),
        })),
      ),
      addDays(today, -7),
    ],
  );
  await em.query(
    `INSERT INTO segmentation_assignments (organisation_id, run_id, client_id, segments)
     SELECT $1, $2, t.client_id, t.segments::smallint[] FROM unnest($3::uuid[], $4::text[]) AS t(client_id, segments)`,
    [orgId, runId, data.clientIds, data.clientIds.map((_, i) => `{${scenarios.map((s) => s.clusters[i]).join(',')}}`)],
  );

  // k = 3 in use: each segment named after the type most of its clients had (each type once).
  const three = scenarios.find((s) => s.k === 3);
  if (!three) return 0;
  const codeOf = new Map(latest.map((r) => [r.client_id, r.code]));
  const votes = [0, 1, 2].map((seg) =>
    TYPES.map((t) => data.clientIds.filter((c, i) => three.clusters[i] === seg && codeOf.get(c) === t.code).length),
  );
  const names: string[] = [];
  const taken = new Set<number>();
  for (const seg of [0, 1, 2]) {
    const best = votes[seg]
      .map((v, t) => ({ v, t }))
      .filter((x) => !taken.has(x.t))
      .sort((a, b) => b.v - a.v)[0].t;
    taken.add(best);
    names.push(TYPES[best].code);
  }
  const typeIds: string[] = [];
  for (const code of names) {
    const t = TYPES.find((x) => x.code === code);
    const [row]: { id: string }[] = await em.query(
      `INSERT INTO client_types (organisation_id, code, name, description) VALUES ($1, $2, $3, $4)
       ON CONFLICT ON CONSTRAINT uq_client_types_code DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description RETURNING id`,
      [orgId, code, t?.name ?? code, PERSONAS[code] ?? null],
    );
    typeIds.push(row.id);
  }
  await saveModel(
    em,
    {
      runId,
      k: 3,
      items: data.items,
      means: data.means,
      sds: data.sds,
      centroids: three.centroids,
      clientTypeIds: typeIds,
    },
    null,
  );
  const dayOf = new Map(latest.map((r) => [r.client_id, r.day]));
  return writeModelAssessments(
    em,
    data.clientIds.map((clientId, i) => ({
      clientId,
      day: dayOf.get(clientId) as string,
      clientTypeId: typeIds[three.clusters[i]],
    })),
  );
}
