#!/usr/bin/env bash
# Quickstart step 2 (and CI): every check. Builds the warehouse with all dbt tests,
# runs the great-expectations suites on it, lints the SQL, then the pytest suite.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
echo "==> dbt build (models, seeds, data tests, unit tests)"
dbt build --warn-error-options '{"error": ["NoNodesForSelectionCriteria"]}'
echo "==> sqlfluff lint"
sqlfluff lint models macros tests --disable-progress-bar --nocolor
echo "==> pytest"
pytest -q tests/python
