#!/usr/bin/env bash
# Set up and run the whole suite: lint, unit, page (AppTest) and real-browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# The browser tests drive Debian's chromium (no browser download is possible here).
if [ ! -x /usr/bin/chromium ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "test: installing Debian's chromium"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

bash scripts/setup.sh dev
echo "test: ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "test: pytest"
exec .venv/bin/pytest "$@"
