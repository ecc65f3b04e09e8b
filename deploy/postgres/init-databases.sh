#!/bin/sh
# Runs once, on the first start of an empty data volume (docker-entrypoint-initdb.d).
# One PostgreSQL instance, one database and one login role per service: a service can
# reach only its own data, as if each had its own server (see docs/operations.md).
#
# Passwords come from the environment (<SERVICE>_DB_PASSWORD, set in deploy/.env);
# nothing secret is written here. The role owns its database, so its migrations can create
# tables in the public schema (PostgreSQL 15+ no longer lets PUBLIC create there).
set -eu

for service in gateway registry finance pharmacy verification; do
    upper=$(echo "$service" | tr '[:lower:]' '[:upper:]')
    eval "password=\${${upper}_DB_PASSWORD:-}"
    if [ -z "$password" ]; then
        echo "init-databases: ${upper}_DB_PASSWORD is not set" >&2
        exit 1
    fi
    # psql variables (:'name') quote the values, so a password cannot break the SQL.
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        -v role="$service" -v password="$password" -v db="oms_$service" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"role";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
SQL
done
