DROP TABLE analytics_protected;
DROP FUNCTION km_analytics_organisation_areas();
DROP FUNCTION km_analytics_municipality_serving();
DROP FUNCTION km_analytics_protected_cells(date, date);
