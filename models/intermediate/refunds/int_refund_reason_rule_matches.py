"""Strongest text rule (seed refund_reason_rules) per return request, over its reason_text.

Thin wrapper: the matching is support_kpis.reasons.match_reason_rules with the refund seed's
columns (REFUND_REASON_RULES), one vectorised DuckDB CASE expression of constant patterns
evaluated inside DuckDB (tested directly in tests/python/test_reasons.py). Replaces a
requests x rules join on a per-row pattern, which compiled a regex for every pair.
"""

import os
import sys

try:
    from support_kpis import reasons
except ImportError:  # dbt started without scripts/bootstrap.sh: the package lives at the project root
    sys.path.insert(0, os.getcwd())
    from support_kpis import reasons


def model(dbt, session):
    requests = dbt.ref("stg_returns__return_requests")
    rules = reasons.load_rules(dbt.ref("refund_reason_rules"), reasons.REFUND_REASON_RULES)
    return reasons.match_reason_rules(
        requests.select("return_id, reason_text"),
        rules,
        id_column="return_id",
        text_columns=("reason_text",),
        seed=reasons.REFUND_REASON_RULES,
    )
