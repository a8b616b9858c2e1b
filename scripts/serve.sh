#!/usr/bin/env bash
# Set up and start pocmap on the synthetic sample data at http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh runtime
exec .venv/bin/pocmap serve "$@"
