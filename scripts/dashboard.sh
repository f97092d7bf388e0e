#!/usr/bin/env bash
# The dashboard (README "Dashboard"): Streamlit on http://localhost:8501, reading the published,
# read-only copy of the marts that scripts/build.sh writes. Extra arguments go to streamlit,
# e.g. scripts/dashboard.sh --server.port 8600
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
cd "$SUPPORT_KPIS_ROOT"
db="${SUPPORT_KPIS_DB:-warehouse/support_kpis.duckdb}"
if [ ! -f "${SUPPORT_KPIS_BI_DB:-${db%.duckdb}_bi.duckdb}" ]; then
    echo "no published warehouse yet: run bash scripts/build.sh first" >&2
    exit 1
fi
exec streamlit run dashboard/app.py --server.headless true --browser.gatherUsageStats false "$@"
