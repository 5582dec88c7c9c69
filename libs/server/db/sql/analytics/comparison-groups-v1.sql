-- Comparison groups and saved views of /vergelijken (issue #24; api-v1.md "comparison-groups",
-- "saved-views").
--
-- A comparison group is a named set of municipalities. organisation_id NULL: a platform group (made by
-- a platform admin, visible to everyone, a relation of the protected table: group = the sum of its
-- municipalities). Otherwise an organisation's own group, of municipalities it serves only (checked
-- by the api against organisation_municipalities; a free choice of others' municipalities would let
-- anyone difference them).

CREATE TABLE comparison_groups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid REFERENCES organisations (id) ON DELETE CASCADE,
  name text NOT NULL CONSTRAINT ck_comparison_groups_name CHECK (char_length(name) BETWEEN 1 AND 100),
  municipalities text[] NOT NULL
    CONSTRAINT ck_comparison_groups_size CHECK (cardinality(municipalities) BETWEEN 1 AND 400),
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- One name per owner (NULL = the platform), case-insensitively.
CREATE UNIQUE INDEX uq_comparison_groups_name
  ON comparison_groups (coalesce(organisation_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name));

ALTER TABLE comparison_groups ENABLE ROW LEVEL SECURITY;
ALTER TABLE comparison_groups FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON comparison_groups TO klantmonitor_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON comparison_groups TO klantmonitor_owner;
-- Everyone reads the platform's groups and their own organisation's.
CREATE POLICY comparison_groups_read ON comparison_groups FOR SELECT TO klantmonitor_app
  USING (organisation_id IS NULL OR organisation_id = (SELECT km_current_organisation_id()));
-- Platform groups are written by a platform admin only; an organisation's by that organisation.
CREATE POLICY comparison_groups_insert ON comparison_groups FOR INSERT TO klantmonitor_app
  WITH CHECK (CASE WHEN organisation_id IS NULL THEN (SELECT km_is_platform_admin())
                   ELSE organisation_id = (SELECT km_current_organisation_id()) END);
CREATE POLICY comparison_groups_update ON comparison_groups FOR UPDATE TO klantmonitor_app
  USING (CASE WHEN organisation_id IS NULL THEN (SELECT km_is_platform_admin())
              ELSE organisation_id = (SELECT km_current_organisation_id()) END)
  WITH CHECK (CASE WHEN organisation_id IS NULL THEN (SELECT km_is_platform_admin())
                   ELSE organisation_id = (SELECT km_current_organisation_id()) END);
CREATE POLICY comparison_groups_delete ON comparison_groups FOR DELETE TO klantmonitor_app
  USING (CASE WHEN organisation_id IS NULL THEN (SELECT km_is_platform_admin())
              ELSE organisation_id = (SELECT km_current_organisation_id()) END);

-- A person's named filters of /vergelijken: the URL query that reproduces the view.
CREATE TABLE saved_views (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL CONSTRAINT ck_saved_views_name CHECK (char_length(name) BETWEEN 1 AND 100),
  query text NOT NULL CONSTRAINT ck_saved_views_query CHECK (char_length(query) <= 4000),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX uq_saved_views_name ON saved_views (user_id, lower(name));
ALTER TABLE saved_views ENABLE ROW LEVEL SECURITY;
ALTER TABLE saved_views FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, DELETE ON saved_views TO klantmonitor_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON saved_views TO klantmonitor_owner;
CREATE POLICY tenant_isolation ON saved_views TO klantmonitor_app
  USING (organisation_id = (SELECT km_current_organisation_id()))
  WITH CHECK (organisation_id = (SELECT km_current_organisation_id()));

-- The protected table reads the platform groups with its other inputs (as klantmonitor_owner).
CREATE FUNCTION km_analytics_platform_groups()
RETURNS TABLE (id uuid, municipalities text[])
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT g.id, g.municipalities FROM public.comparison_groups g WHERE g.organisation_id IS NULL
$$;
-- Least privilege (sql/platform/definer-owner-v1.sql): definer functions run as klantmonitor_owner.
GRANT CREATE ON SCHEMA public TO klantmonitor_owner;
ALTER FUNCTION km_analytics_platform_groups() OWNER TO klantmonitor_owner;
REVOKE CREATE ON SCHEMA public FROM klantmonitor_owner;
REVOKE ALL ON FUNCTION km_analytics_platform_groups() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION km_analytics_platform_groups() TO klantmonitor_app;
