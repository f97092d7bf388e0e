#!/usr/bin/env bash
# Quickstart step 2 (and CI): every check. Builds the warehouse with all dbt tests,
# runs the great-expectations suites on it, lints the SQL, then the pytest suite.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
echo "==> dbt build (models, seeds, data tests, unit tests)"
dbt build --warn-error-options '{"error": ["NoNodesForSelectionCriteria"]}'
echo "==> great-expectations suites (data docs in reports/gx/)"
python -m support_kpis.quality --warehouse "${SUPPORT_KPIS_DB:-warehouse/support_kpis.duckdb}"
echo "==> sqlfluff lint"
sqlfluff lint models macros tests --disable-progress-bar --nocolor
echo "==> pytest"
pytest -q tests/python
