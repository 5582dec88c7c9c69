-- Protected figures (#23, metrics.md "Protected figures"): figures about other organisations'
-- clients come from one fixed table with one suppression pattern, computed with the analytics
-- recompute and read by every answer. Counts only, like every km_analytics_* function.

-- The table's finest cells on p_as_of: clients per municipality, quarter of first contact and intake
-- type (as known on p_as_of), first contact up to p_to (the last complete quarter's last day).
CREATE FUNCTION km_analytics_protected_cells(p_as_of date, p_to date)
RETURNS TABLE (municipality text, quarter text, client_type text, n bigint)
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT c.municipality_code, to_char(c.first_contact, 'YYYY-"Q"Q'), c.client_type, count(*)
  FROM public.km_analytics_cohort(p_as_of, NULL, p_to, NULL, NULL) c
  GROUP BY 1, 2, 3
$$;

-- Per municipality taking part: how many active organisations serve it (or have data there), the one
-- that alone does (it sees its cells free and exact: the pattern must hold for it too), and the
-- strictest small-cell setting among them.
CREATE FUNCTION km_analytics_municipality_serving()
RETURNS TABLE (municipality_code text, organisations integer, owner uuid, min_cell integer)
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT x.m, count(DISTINCT x.org)::int,
         CASE WHEN count(DISTINCT x.org) = 1 THEN min(x.org::text)::uuid END,
         max(o.min_cell)
  FROM (SELECT om.municipality_code, om.organisation_id FROM public.organisation_municipalities om
        UNION SELECT DISTINCT f.municipality_code, f.organisation_id FROM public.analytics_trajectories f) x (m, org)
  JOIN public.organisations o ON o.id = x.org
  WHERE o.deactivated_at IS NULL
  GROUP BY x.m
$$;

-- Every active organisation's municipalities (organisation_municipalities): "the total of one's own
-- municipalities" is a cell of the table too (a group, metrics.md), so its parts are protected as well.
CREATE FUNCTION km_analytics_organisation_areas()
RETURNS TABLE (organisation_id uuid, municipalities text[])
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT om.organisation_id, array_agg(om.municipality_code ORDER BY om.municipality_code)
  FROM public.organisation_municipalities om JOIN public.organisations o ON o.id = om.organisation_id
  WHERE o.deactivated_at IS NULL
  GROUP BY om.organisation_id
$$;

-- The stored pattern: the hidden cells (keys `area|window|type`) per data version, settings version
-- (the organisations' small-cell settings are part of it), day and minCell.
-- Which cells are hidden is no secret (every answer shows it); the counts are not kept here.
CREATE TABLE analytics_protected (
  version bigint NOT NULL,
  settings_version bigint NOT NULL,
  as_of date NOT NULL,
  min_cell integer NOT NULL,
  hidden text[] NOT NULL,
  -- Each organisation's municipalities the pattern was made with (its own total is a cell).
  groups jsonb NOT NULL,
  cells integer NOT NULL,
  primary_count integer NOT NULL,
  secondary_count integer NOT NULL,
  national_primary integer NOT NULL,
  national_secondary integer NOT NULL,
  duration_ms integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (version, settings_version, as_of, min_cell)
);
GRANT SELECT, INSERT, DELETE ON analytics_protected TO klantmonitor_app;
REVOKE ALL ON FUNCTION km_analytics_protected_cells(date, date) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_analytics_municipality_serving() FROM PUBLIC;
REVOKE ALL ON FUNCTION km_analytics_organisation_areas() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION km_analytics_organisation_areas() TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_analytics_protected_cells(date, date) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_analytics_municipality_serving() TO klantmonitor_app;
-- Least privilege (sql/platform/definer-owner-v1.sql): definer functions run as klantmonitor_owner.
GRANT CREATE ON SCHEMA public TO klantmonitor_owner;
ALTER FUNCTION km_analytics_protected_cells(date, date) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_analytics_municipality_serving() OWNER TO klantmonitor_owner;
ALTER FUNCTION km_analytics_organisation_areas() OWNER TO klantmonitor_owner;
REVOKE CREATE ON SCHEMA public FROM klantmonitor_owner;
