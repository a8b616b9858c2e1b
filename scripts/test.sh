#!/usr/bin/env bash
# Set up and run the whole suite: lint, unit, page (AppTest), real-browser and PostGIS tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the suite needs from Debian: chromium for the browser tests (no browser download
# is possible here), PostgreSQL 15 with PostGIS for the store suite's second backend.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/share/postgresql/15/extension/postgis.control ] || missing+=(postgresql-15-postgis-3)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "test: installing Debian's ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

bash scripts/setup.sh dev
echo "test: ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "test: mypy"
.venv/bin/mypy

# A throwaway PostGIS server on loopback (scripts/postgis.sh); stopped at the end if this
# run started it. The postgis tests fail instead of skipping when it is not there.
port="${POCMAP_PG_PORT:-55432}"
started=""
/usr/lib/postgresql/15/bin/pg_isready -q -h 127.0.0.1 -p "$port" || started=1
echo "test: PostGIS at $(bash scripts/postgis.sh start "$port")"
[ -n "$started" ] && trap 'bash scripts/postgis.sh stop "$port" || true' EXIT
export POCMAP_REQUIRE_POSTGIS=1 POCMAP_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/pocmap"

# Both cores (pytest-xdist), a test file per worker at a time: module-scoped fixtures are
# made once. POCMAP_TEST_WORKERS=0 runs everything in this one process.
echo "test: pytest"
.venv/bin/pytest -n "${POCMAP_TEST_WORKERS:-2}" --dist loadfile "$@"
