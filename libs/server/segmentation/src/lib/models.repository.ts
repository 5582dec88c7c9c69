import { EntityManager } from 'typeorm';
import { nearestSegment, standardise } from '@klantmonitor/shared/metrics';

/**
 * All SQL of segmentation_models and of the assessments a model writes (docs/data-access.md). Shared
 * by the segmentation feature (activation) and the import (new intake answers get a type), so it
 * lives in server/ (rule 15). Every function takes the caller's tenant-scoped EntityManager.
 */
export interface ActiveModel {
  runId: string;
  k: number;
  items: string[];
  means: number[];
  sds: number[];
  centroids: number[][];
  clientTypeIds: string[];
}

export async function activeModel(em: EntityManager): Promise<ActiveModel | null> {
  const [m]: {
    run_id: string;
    k: number;
    items: string[];
    means: number[];
    sds: number[];
    centroids: number[][];
    client_type_ids: string[];
  }[] = await em.query(
    'SELECT run_id, k, items, means, sds, centroids, client_type_ids FROM segmentation_models WHERE organisation_id = km_current_organisation_id()',
  );
  return m
    ? {
        runId: m.run_id,
        k: m.k,
        items: m.items,
        means: m.means.map(Number),
        sds: m.sds.map(Number),
        centroids: m.centroids,
        clientTypeIds: m.client_type_ids,
      }
    : null;
}

export async function saveModel(em: EntityManager, m: ActiveModel, userId: string | null): Promise<void> {
  await em.query(
    `INSERT INTO segmentation_models (organisation_id, run_id, k, items, means, sds, centroids, client_type_ids, activated_by)
     VALUES (km_current_organisation_id(), $1, $2, $3, $4, $5, $6::jsonb, $7, $8)
     ON CONFLICT (organisation_id) DO UPDATE SET run_id = EXCLUDED.run_id, k = EXCLUDED.k, items = EXCLUDED.items, means = EXCLUDED.means,
       sds = EXCLUDED.sds, centroids = EXCLUDED.centroids, client_type_ids = EXCLUDED.client_type_ids, activated_by = EXCLUDED.activated_by, activated_at = now()`,
    [m.runId, m.k, m.items, m.means, m.sds, JSON.stringify(m.centroids), m.clientTypeIds, userId],
  );
}

/** One assessment per (client, day) with the given type, source 'model' (a re-run replaces it). */
export async function writeModelAssessments(
  em: EntityManager,
  rows: { clientId: string; day: string; clientTypeId: string }[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const written: unknown[] = await em.query(
    `INSERT INTO assessments (organisation_id, client_id, assessed_on, client_type_id, source)
     SELECT km_current_organisation_id(), r.client_id, r.day, r.type_id, 'model'
     FROM unnest($1::uuid[], $2::date[], $3::uuid[]) AS r(client_id, day, type_id)
     ON CONFLICT ON CONSTRAINT uq_assessments_client_day DO UPDATE SET client_type_id = EXCLUDED.client_type_id, source = 'model'
     RETURNING id`,
    [rows.map((r) => r.clientId), rows.map((r) => r.day), rows.map((r) => r.clientTypeId)],
  );
  return written.length;
}

/**
 * New intake answers get the type of the nearest centroid of the active model (standardised with
 * the run's means and SDs; a missing item counts as the mean). Returns how many were assigned;
 * 0 when the organisation has no active model.
 */
export async function assignByActiveModel(
  em: EntityManager,
  answers: { clientId: string; day: string; answers: Record<string, number> }[],
): Promise<number> {
  const model = await activeModel(em);
  if (!model || answers.length === 0) return 0;
  return writeModelAssessments(
    em,
    answers.map((a) => ({
      clientId: a.clientId,
      day: a.day,
      clientTypeId: model.clientTypeIds[nearestSegment(standardise(a.answers, model), model.centroids)],
    })),
  );
}
