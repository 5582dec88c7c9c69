#!/bin/sh
# Runs once when the PostgreSQL volume is created: the application role that the api and worker
# use. It owns nothing, so row-level security applies to it; the schema belongs to POSTGRES_USER.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE klantmonitor_app LOGIN PASSWORD '${KLANTMONITOR_APP_PASSWORD}';
GRANT CONNECT, TEMPORARY ON DATABASE "${POSTGRES_DB}" TO klantmonitor_app;
SQL
