CREATE OR REPLACE FUNCTION km_step_mark(
  p_trajectory uuid, p_step text, p_on date, p_user uuid, p_role text, p_client uuid, p_request text,
  p_details jsonb, p_correct boolean, p_queue text, p_job text, p_job_id text)
RETURNS void
LANGUAGE sql AS $$
  UPDATE step_events SET withdrawn_at = now(), withdrawn_by = p_user
  WHERE p_correct AND trajectory_id = p_trajectory AND step = p_step AND withdrawn_at IS NULL;
  INSERT INTO step_events (organisation_id, trajectory_id, step, occurred_on, source, recorded_by)
  VALUES (km_current_organisation_id(), p_trajectory, p_step, p_on, 'manual', p_user);
  INSERT INTO outbox (organisation_id, queue, job_name, job_id, payload)
  VALUES (km_current_organisation_id(), p_queue, p_job, p_job_id,
          jsonb_build_object('trajectoryIds', jsonb_build_array(p_trajectory), 'organisationId', km_current_organisation_id()));
  INSERT INTO audit_events (organisation_id, actor_user_id, actor_role, action, entity_type, entity_id, request_id, details)
  VALUES (km_current_organisation_id(), p_user, p_role, CASE WHEN p_correct THEN 'step.correct' ELSE 'step.mark' END,
          'client', p_client::text, p_request, p_details);
$$;
DROP FUNCTION km_enqueue(text[], text[], text[], jsonb[]);
