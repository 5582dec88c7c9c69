import { EntityManager } from 'typeorm';

/** One client's set of intake answers on one day (item code -> 1..5; a missing item is absent). */
export interface IntakeAnswerSet {
  answeredOn: string;
  answers: Record<string, number>;
  source: 'import' | 'form';
}

/**
 * Saves a client's answers for a day through the form (a second set on the same day replaces the
 * first, as a re-import does). Null when the client does not exist in this organisation.
 */
export async function saveFormIntakeAnswers(
  em: EntityManager,
  clientId: string,
  answeredOn: string,
  answers: Record<string, number>,
): Promise<{ created: boolean } | null> {
  const [row]: { created: boolean }[] = await em.query(
    `WITH u AS (
       INSERT INTO intake_answers (organisation_id, client_id, answered_on, answers, source)
       SELECT km_current_organisation_id(), c.id, $2::date, $3::jsonb, 'form' FROM clients c WHERE c.id = $1
       ON CONFLICT ON CONSTRAINT uq_intake_answers_client_day
       DO UPDATE SET answers = EXCLUDED.answers, source = 'form', updated_at = now()
       RETURNING (xmax = 0) AS created)
     SELECT created FROM u`,
    [clientId, answeredOn, JSON.stringify(answers)],
  );
  return row ?? null;
}

/**
 * A client's latest set of intake answers: null when it has none, `undefined` when there is no such
 * client in this organisation.
 */
export async function latestIntakeAnswers(
  em: EntityManager,
  clientId: string,
): Promise<IntakeAnswerSet | null | undefined> {
  const [row]: {
    answered_on: string | null;
    answers: Record<string, number> | null;
    source: 'import' | 'form' | null;
  }[] = await em.query(
    `SELECT l.answered_on::text AS answered_on, l.answers, l.source FROM clients c
     LEFT JOIN LATERAL (SELECT answered_on, answers, source FROM intake_answers i
                        WHERE i.client_id = c.id ORDER BY answered_on DESC LIMIT 1) l ON true
     WHERE c.id = $1`,
    [clientId],
  );
  if (!row) return undefined;
  return row.answered_on && row.answers && row.source
    ? { answeredOn: row.answered_on, answers: row.answers, source: row.source }
    : null;
}

/** The client type the active model gave a client's answers of a day (null: no model then). */
export async function modelTypeOn(
  em: EntityManager,
  clientId: string,
  day: string,
): Promise<{ code: string; name: string } | null> {
  const [row]: { code: string; name: string }[] = await em.query(
    `SELECT ct.code, ct.name FROM assessments a JOIN client_types ct ON ct.id = a.client_type_id
     WHERE a.client_id = $1 AND a.assessed_on = $2::date AND a.source = 'model'
     ORDER BY a.created_at DESC LIMIT 1`,
    [clientId, day],
  );
  return row ?? null;
}
