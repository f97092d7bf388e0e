#!/usr/bin/env bash
# Quickstart step 1: install the pinned toolchain and build the warehouse from the bundled sample exports.
# Extra arguments go to dbt, e.g. scripts/build.sh --vars '{exports_path: /data/exports}'
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
dbt build --exclude "resource_type:test" "resource_type:unit_test" "$@"
# The marts as a DuckDB-1.x-readable copy and Parquet, for BI tools and the dashboard (only after a successful build).
python -m support_kpis publish
echo "==> warehouse built: ${SUPPORT_KPIS_DB:-warehouse/support_kpis.duckdb}"
