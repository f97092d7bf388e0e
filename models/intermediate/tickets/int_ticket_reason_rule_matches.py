"""Strongest text rule (seed contact_reason_rules) per ticket, over subject + first customer message.

Thin wrapper: the matching is support_kpis.reasons.match_reason_rules, one vectorised DuckDB
CASE expression evaluated inside DuckDB (tested directly in tests/python/test_reasons.py).
"""

import os
import sys

try:
    from support_kpis import reasons
except ImportError:  # dbt started without scripts/bootstrap.sh: the package lives at the project root
    sys.path.insert(0, os.getcwd())
    from support_kpis import reasons


def model(dbt, session):
    threads = dbt.ref("int_ticket_threads")
    rules = reasons.load_rules(dbt.ref("contact_reason_rules"))
    return reasons.match_reason_rules(
        threads.select("ticket_id, subject, first_customer_message_text"),
        rules,
    )
