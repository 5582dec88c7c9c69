-- The municipalities taking part in the benchmark, each with the strictest small-cell setting among
-- the other organisations serving it (0: the caller's alone). v2 (#13): a deactivated organisation
-- takes no part: its municipalities are listed only where an active organisation serves them too,
-- and its setting counts no more. (v1 lives in migration 1764200000000.)
CREATE OR REPLACE FUNCTION km_analytics_municipality_min_cells()
RETURNS TABLE (municipality_code text, min_cell integer)
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT x.m, max(o.min_cell) FILTER (WHERE x.org IS DISTINCT FROM public.km_current_organisation_id())
  FROM (SELECT om.municipality_code, om.organisation_id FROM public.organisation_municipalities om
        UNION SELECT DISTINCT f.municipality_code, f.organisation_id FROM public.analytics_trajectories f) x (m, org)
  JOIN public.organisations o ON o.id = x.org
  WHERE o.deactivated_at IS NULL
  GROUP BY x.m
$$;
