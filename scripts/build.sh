#!/usr/bin/env bash
# Quickstart step 1: install the pinned toolchain and build the warehouse from the bundled
# sample exports: every seed and model, and the data tests that protect figures (selector
# quickstart in selectors.yml; scripts/check.sh runs all of them). Extra arguments go to dbt,
# e.g. scripts/build.sh --vars '{exports_path: /data/exports}' (its own warehouse file,
# scripts/warehouse_path.py) or --full-refresh.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
cd "$SUPPORT_KPIS_ROOT"
if [ -z "${SUPPORT_KPIS_DB:-}" ]; then
    SUPPORT_KPIS_DB="$(python scripts/warehouse_path.py "$@")"
    export SUPPORT_KPIS_DB
fi
echo "==> dbt build into $SUPPORT_KPIS_DB: seeds, models and the tests that protect figures"
echo "    (dbt parses the project first, up to half a minute, then prints a line per step)"
started=$SECONDS
dbt build --selector quickstart "$@"
# The marts as a DuckDB-1.x-readable copy and Parquet, for BI tools and the dashboard (only after a successful build).
python -m support_kpis publish
echo "==> warehouse built in $((SECONDS - started)) s: $SUPPORT_KPIS_DB"
