-- Several of the dashboards' answers from one scan (#27: the answers computed ahead after every
-- recompute took half of the national recompute, one scan of the facts per answer). Same cohort,
-- same rules and same counts as km_analytics_attainment and km_analytics_experience, for every step
-- or every item at once; server/analytics cells.ts splits the rows per answer. Counts only, like
-- every km_analytics_* function: no row identifies a trajectory.

-- Step attainment for the five steps after first contact at once: `reached` holds the count per
-- step in the order goal_known, approach_set, iu_in_view, iu_in_balance, settlement_ready.
CREATE FUNCTION km_analytics_attainment_steps(p_as_of date, p_from date, p_to date, p_munis text[], p_types text[],
                                              p_by_muni boolean, p_by_month boolean, p_within integer)
RETURNS TABLE (municipality text, client_type text, month text, eligible bigint, reached bigint[])
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT CASE WHEN p_by_muni THEN c.municipality_code END, c.client_type,
         CASE WHEN p_by_month THEN to_char(c.first_contact, 'YYYY-MM') END,
         count(*),
         ARRAY[count(*) FILTER (WHERE c.eff_goal_known - c.first_contact <= p_within),
               count(*) FILTER (WHERE c.eff_approach_set - c.first_contact <= p_within),
               count(*) FILTER (WHERE c.eff_iu_in_view - c.first_contact <= p_within),
               count(*) FILTER (WHERE c.eff_iu_in_balance - c.first_contact <= p_within),
               count(*) FILTER (WHERE c.eff_settlement_ready - c.first_contact <= p_within)]
  FROM public.km_analytics_cohort(p_as_of, p_from, p_to, p_munis, p_types) c
  WHERE c.first_contact + p_within <= p_as_of
  GROUP BY 1, 2, 3
$$;

-- Experience for several items at once (one row set per item code).
CREATE FUNCTION km_analytics_experience_items(p_as_of date, p_from date, p_to date, p_munis text[], p_types text[],
                                              p_by_muni boolean, p_by_type boolean, p_by_month boolean, p_items text[])
RETURNS TABLE (item text, municipality text, client_type text, month text, phase text, n bigint, total numeric)
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT i.code, CASE WHEN p_by_muni THEN r.municipality_code END, CASE WHEN p_by_type THEN x.client_type END,
         CASE WHEN p_by_month THEN to_char(r.first_contact, 'YYYY-MM') END,
         r.phase, count(*), sum(r.scores[i.idx])
  FROM public.analytics_responses r
  CROSS JOIN (SELECT code, idx FROM public.analytics_items WHERE code = ANY (p_items)) i
  CROSS JOIN LATERAL (SELECT CASE WHEN r.type_assessed_on <= p_as_of THEN r.client_type ELSE 'unknown' END AS client_type) x
  WHERE r.responded_on <= p_as_of AND r.first_contact <= p_as_of
    AND (p_from IS NULL OR r.first_contact >= p_from)
    AND (p_to IS NULL OR r.first_contact <= p_to)
    AND (p_munis IS NULL OR r.municipality_code = ANY (p_munis))
    AND (p_types IS NULL OR x.client_type = ANY (p_types))
    AND r.scores[i.idx] IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5
$$;

REVOKE ALL ON FUNCTION km_analytics_attainment_steps(date, date, date, text[], text[], boolean, boolean, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_analytics_experience_items(date, date, date, text[], text[], boolean, boolean, boolean, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION km_analytics_attainment_steps(date, date, date, text[], text[], boolean, boolean, integer) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_analytics_experience_items(date, date, date, text[], text[], boolean, boolean, boolean, text[]) TO klantmonitor_app;
-- Least privilege (sql/platform/definer-owner-v1.sql): definer functions run as klantmonitor_owner.
GRANT CREATE ON SCHEMA public TO klantmonitor_owner;
ALTER FUNCTION km_analytics_attainment_steps(date, date, date, text[], text[], boolean, boolean, integer) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_analytics_experience_items(date, date, date, text[], text[], boolean, boolean, boolean, text[]) OWNER TO klantmonitor_owner;
REVOKE CREATE ON SCHEMA public FROM klantmonitor_owner;
