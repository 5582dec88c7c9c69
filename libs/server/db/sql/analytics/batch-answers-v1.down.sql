DROP FUNCTION km_analytics_experience_items(date, date, date, text[], text[], boolean, boolean, boolean, text[]);
DROP FUNCTION km_analytics_attainment_steps(date, date, date, text[], text[], boolean, boolean, integer);
