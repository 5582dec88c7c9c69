DROP FUNCTION IF EXISTS km_analytics_platform_groups();
DROP TABLE IF EXISTS saved_views;
DROP TABLE IF EXISTS comparison_groups;
