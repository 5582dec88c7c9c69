-- Waiting time and the legal first-meeting term (#26, metrics.md): counts from the request facts
-- (analytics_requests), like every km_analytics_* function: no row identifies a request.

-- Per group and day t: requests seen on day t after their request (seen), requests not seen by
-- p_as_of whose wait so far is t (censored), and of them those whose term passed by p_as_of
-- (term_due), seen on or before the due date (term_met), and with a crisis. The cohort: requests
-- registered in [p_from, p_to] and on or before p_as_of; the client type as known on p_as_of.
CREATE FUNCTION km_analytics_waiting(p_as_of date, p_from date, p_to date, p_munis text[], p_types text[],
                                     p_by_muni boolean, p_by_type boolean, p_by_month boolean)
RETURNS TABLE (municipality text, client_type text, month text, t integer, seen bigint, censored bigint,
               term_due bigint, term_met bigint, crisis bigint)
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT CASE WHEN p_by_muni THEN r.municipality_code END, CASE WHEN p_by_type THEN r.ct END,
         CASE WHEN p_by_month THEN to_char(r.registered_on, 'YYYY-MM') END,
         coalesce(r.fc, p_as_of) - r.registered_on,
         count(*) FILTER (WHERE r.fc IS NOT NULL), count(*) FILTER (WHERE r.fc IS NULL),
         count(*) FILTER (WHERE r.due_on <= p_as_of),
         count(*) FILTER (WHERE r.due_on <= p_as_of AND r.fc <= r.due_on),
         count(*) FILTER (WHERE r.crisis)
  FROM (SELECT f.municipality_code, f.registered_on, f.due_on, f.crisis,
               CASE WHEN f.first_contact <= p_as_of THEN f.first_contact END AS fc,
               CASE WHEN f.type_assessed_on <= p_as_of THEN f.client_type ELSE 'unknown' END AS ct
        FROM public.analytics_requests f
        WHERE f.registered_on <= p_as_of
          AND (p_from IS NULL OR f.registered_on >= p_from)
          AND (p_to IS NULL OR f.registered_on <= p_to)
          AND (p_munis IS NULL OR f.municipality_code = ANY (p_munis))) r
  WHERE p_types IS NULL OR r.ct = ANY (p_types)
  GROUP BY 1, 2, 3, 4
$$;

-- The request table's finest cells on p_as_of for its suppression pattern (as
-- km_analytics_protected_cells for trajectories): requests per municipality, quarter of the
-- request and client type (as known on p_as_of), registered up to p_to.
CREATE FUNCTION km_analytics_request_cells(p_as_of date, p_to date)
RETURNS TABLE (municipality text, quarter text, client_type text, n bigint)
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT f.municipality_code, to_char(f.registered_on, 'YYYY-"Q"Q'),
         CASE WHEN f.type_assessed_on <= p_as_of THEN f.client_type ELSE 'unknown' END, count(*)
  FROM public.analytics_requests f
  WHERE f.registered_on <= p_to
  GROUP BY 1, 2, 3
$$;

REVOKE ALL ON FUNCTION km_analytics_waiting(date, date, date, text[], text[], boolean, boolean, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_analytics_request_cells(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION km_analytics_waiting(date, date, date, text[], text[], boolean, boolean, boolean) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_analytics_request_cells(date, date) TO klantmonitor_app;
-- Least privilege (sql/platform/definer-owner-v1.sql): definer functions run as klantmonitor_owner.
GRANT CREATE ON SCHEMA public TO klantmonitor_owner;
ALTER FUNCTION km_analytics_waiting(date, date, date, text[], text[], boolean, boolean, boolean) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_analytics_request_cells(date, date) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_analytics_forget_trajectories() OWNER TO klantmonitor_owner;
REVOKE CREATE ON SCHEMA public FROM klantmonitor_owner;
