#!/usr/bin/env bash
# Make ./.venv with pocmap installed (editable). Usage: scripts/setup.sh [runtime|dev]
# Needs Python >= 3.11 and a package index (PyPI or a mirror pip is configured for).
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-runtime}"
python="${PYTHON:-python3}"

"$python" - <<'PY'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"pocmap needs Python 3.11 or newer; {sys.executable} is {sys.version.split()[0]}")
PY

if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    "$python" -m venv .venv
fi
extra=""
[ "$profile" = "dev" ] && extra="[dev]"
echo "setup: installing pocmap${extra} into .venv"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extra}"
