-- One way into the outbox (#26): every job a change causes is written by km_enqueue, in the
-- caller's transaction, as a row of the current organisation with `organisationId` in its payload.
-- The api and the worker call it through enqueue() of server/queues; km_step_mark calls it here, so
-- a step mark stays one round trip. The relay (server/queues relayOutbox) moves the rows to BullMQ.
CREATE FUNCTION km_enqueue(p_queues text[], p_jobs text[], p_job_ids text[], p_payloads jsonb[]) RETURNS integer
LANGUAGE sql AS $$
  WITH ins AS (
    INSERT INTO outbox (organisation_id, queue, job_name, job_id, payload)
    SELECT km_current_organisation_id(), x.q, x.j, x.i, x.p || jsonb_build_object('organisationId', km_current_organisation_id())
    FROM unnest(p_queues, p_jobs, p_job_ids, p_payloads) AS x (q, j, i, p)
    RETURNING 1)
  SELECT count(*)::int FROM ins
$$;
REVOKE ALL ON FUNCTION km_enqueue(text[], text[], text[], jsonb[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION km_enqueue(text[], text[], text[], jsonb[]) TO klantmonitor_app;

-- The step mark of sql/clients/step-mark-v1.sql, its planning request now through km_enqueue.
CREATE OR REPLACE FUNCTION km_step_mark(
  p_trajectory uuid, p_step text, p_on date, p_user uuid, p_role text, p_client uuid, p_request text,
  p_details jsonb, p_correct boolean, p_queue text, p_job text, p_job_id text)
RETURNS void
LANGUAGE sql AS $$
  UPDATE step_events SET withdrawn_at = now(), withdrawn_by = p_user
  WHERE p_correct AND trajectory_id = p_trajectory AND step = p_step AND withdrawn_at IS NULL;
  INSERT INTO step_events (organisation_id, trajectory_id, step, occurred_on, source, recorded_by)
  VALUES (km_current_organisation_id(), p_trajectory, p_step, p_on, 'manual', p_user);
  SELECT km_enqueue(ARRAY[p_queue], ARRAY[p_job], ARRAY[p_job_id],
                    ARRAY[jsonb_build_object('trajectoryIds', jsonb_build_array(p_trajectory))]);
  INSERT INTO audit_events (organisation_id, actor_user_id, actor_role, action, entity_type, entity_id, request_id, details)
  VALUES (km_current_organisation_id(), p_user, p_role, CASE WHEN p_correct THEN 'step.correct' ELSE 'step.mark' END,
          'client', p_client::text, p_request, p_details);
$$;
