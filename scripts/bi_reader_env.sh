#!/usr/bin/env bash
# Creates .venv-bi-reader with a DuckDB 1.x client (requirements-bi-reader.lock) when missing or stale,
# and prints its python. tests/python/test_bi_publish.py opens the published BI copy with it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv-bi-reader"
PYTHON="${PYTHON:-python3}"
stamp="$VENV/.lock-installed"
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$ROOT/requirements-bi-reader.lock" "$stamp"; then
    echo "==> installing the DuckDB 1.x reader into .venv-bi-reader" >&2
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$ROOT/requirements-bi-reader.lock" >&2
    cp "$ROOT/requirements-bi-reader.lock" "$stamp"
fi
echo "$VENV/bin/python"
