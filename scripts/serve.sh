#!/usr/bin/env bash
# Set up and start pocmap on the synthetic sample data at http://localhost:8501
# (`pocmap serve`: app.py behind asgi.py's checks; with no users, this machine only and
# only under a loopback name: docs/local-mode.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh runtime
exec .venv/bin/pocmap serve "$@"
