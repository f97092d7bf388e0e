"""Strongest text rule (seed contact_reason_rules) per ticket, over subject + first customer message.

Thin wrapper: the matching is support_kpis.reasons.match_reason_rules, one vectorised DuckDB
CASE expression evaluated inside DuckDB (tested directly in tests/python/test_reasons.py).
Incremental like the other ticket models (macros/incremental/keyed_rebuild.sql; config in
_tickets__models.yml): with a watermark, only the tickets of int_ticket_rebuild_set.
"""

import os
import sys

import duckdb

try:
    from support_kpis import reasons
except ImportError:  # dbt started without scripts/bootstrap.sh: the package lives at the project root
    sys.path.insert(0, os.getcwd())
    from support_kpis import reasons


def _has_rebuild_watermark(session, this) -> bool:
    """The same test as the SQL models' is_rebuild_run(): a state row for this model."""
    try:
        rows = session.execute(
            f'select 1 from "{this.database}"."{this.schema}".incremental_build_state where model_name = ?',
            [this.identifier],
        ).fetchall()
    except duckdb.CatalogException:  # no ticket model has finished a build yet
        return False
    return bool(rows)


def model(dbt, session):
    threads = dbt.ref("int_ticket_threads")
    rebuild_set = dbt.ref("int_ticket_rebuild_set")
    if dbt.is_incremental and _has_rebuild_watermark(session, dbt.this):
        threads = threads.join(rebuild_set.select("ticket_id"), "ticket_id", how="semi")
    rules = reasons.load_rules(dbt.ref("contact_reason_rules"))
    return reasons.match_reason_rules(
        threads.select("ticket_id, subject, first_customer_message_text"),
        rules,
    )
