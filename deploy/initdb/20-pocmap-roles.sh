#!/bin/sh
# Run once by the postgis image when the database volume is first made (after its own
# 10_postgis.sh): the owner role that migrations run as, and the application role the app
# instances run as (docs/deployment.md). Neither is a superuser.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$POCMAP_OWNER_PASSWORD" -v app_password="$POCMAP_APP_PASSWORD" <<'SQL'
CREATE ROLE pocmap_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE pocmap_app LOGIN PASSWORD :'app_password';
CREATE DATABASE pocmap OWNER pocmap_owner;
REVOKE ALL ON DATABASE pocmap FROM PUBLIC;
GRANT CONNECT ON DATABASE pocmap TO pocmap_app;
\connect pocmap
CREATE EXTENSION IF NOT EXISTS postgis;
SQL
