#!/usr/bin/env bash
# Creates .venv with the pinned toolchain when it is missing or stale. Sourced by build.sh and check.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"
stamp="$VENV/.lock-installed"
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$ROOT/requirements.lock" "$stamp"; then
    echo "==> installing pinned dependencies into .venv"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$ROOT/requirements.lock"
    cp "$ROOT/requirements.lock" "$stamp"
fi
export PATH="$VENV/bin:$PATH"
# The tooling package runs from the checkout; nothing to build or install.
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
export DBT_PROFILES_DIR="$ROOT"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
mkdir -p "$ROOT/warehouse"
cd "$ROOT"
