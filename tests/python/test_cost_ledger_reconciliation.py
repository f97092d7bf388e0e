"""tests/assert_cost_allocation_reconciles_to_ledger.sql can fail.

The singular test asserts on the mart cost_ledger_reconciliation (the one place the ledger is
reconciled): the mart's SQL and the test's are run as plain SQL (refs replaced by table names)
against a hand-made ledger and allocation: it returns nothing when the cents add up, and one row when a single
ticket is off by 0.01, a pool is missing, or an extra pool appears. Per currency: a yen pool
ties in yen and, converted once, in the reporting currency; yen counted as dollars, or one
reporting cent moved, fails. When a built warehouse is available (env SUPPORT_KPIS_DB), the
same is done on a copy of the real table.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
TEST_SQL = REPO / "tests" / "assert_cost_allocation_reconciles_to_ledger.sql"
CPR_TEST_SQL = REPO / "tests" / "assert_cost_per_resolution_reconciles_to_ledger.sql"
MART_SQL = REPO / "models" / "marts" / "volume_cost_operations" / "cost_ledger_reconciliation.sql"


def render(sql: str, tables: dict[str, str]) -> str:
    """Replace each {{ ref('x') }} by tables[x], each engine spelling by DuckDB's (macros/engines/)
    and drop Jinja comments."""
    sql = re.sub(r"\{#.*?#\}", "", sql, flags=re.S)
    sql = re.sub(r"\{\{\s*text_type\(\)\s*\}\}", "varchar", sql)
    return re.sub(
        r"\{\{\s*ref\('([a-z0-9_]+)'\)\s*\}\}", lambda m: tables[m.group(1)], sql
    )


def failing_rows(con: duckdb.DuckDBPyConnection, tables: dict[str, str], test_sql: Path = TEST_SQL) -> int:
    """Rows the singular test returns on the mart built from `tables`."""
    con.execute(f"create or replace temp view reconciliation as {render(MART_SQL.read_text(), tables)}")
    sql = render(test_sql.read_text(), {"cost_ledger_reconciliation": "reconciliation"})
    return len(con.execute(sql).fetchall())


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    # Ledger: March email_team 80.00 + 20.00 = 100.00; March chat_team 10.00 USD and
    # 1000.00 JPY at 0.0067 USD per yen (= 6.70 USD).
    con.execute(
        """
        create table ledger as select * from (values
            (date '2024-03-01', 'email_team', 'salaries', 80.00::decimal(18, 2), 'USD', 1.0::decimal(18, 10)),
            (date '2024-03-01', 'email_team', 'software', 20.00::decimal(18, 2), 'USD', 1.0::decimal(18, 10)),
            (date '2024-03-01', 'chat_team', 'salaries', 10.00::decimal(18, 2), 'USD', 1.0::decimal(18, 10)),
            (date '2024-03-01', 'chat_team', 'outsourcing', 1000.00::decimal(18, 2), 'JPY', 0.0067::decimal(18, 10))
        ) as t (month_start, team, cost_category, amount, currency, fx_rate_to_reporting)
        """
    )
    # Hand allocation: 33.34 + 33.33 + 33.33 = 100.00; 3.33 + 6.67 = 10.00; yen 333.33 +
    # 666.67 = 1000.00 JPY, converted pool 670 US cents split 2.23 + 4.47 = 6.70 USD.
    con.execute(
        """
        create table alloc as select * from (values
            (date '2024-03-01', 'email_team', 'USD', 1, 33.34::decimal(18, 2), 33.34::decimal(18, 2)),
            (date '2024-03-01', 'email_team', 'USD', 2, 33.33::decimal(18, 2), 33.33::decimal(18, 2)),
            (date '2024-03-01', 'email_team', 'USD', 3, 33.33::decimal(18, 2), 33.33::decimal(18, 2)),
            (date '2024-03-01', 'chat_team', 'USD', 7, 3.33::decimal(18, 2), 3.33::decimal(18, 2)),
            (date '2024-03-01', 'chat_team', 'USD', 8, 6.67::decimal(18, 2), 6.67::decimal(18, 2)),
            (date '2024-03-01', 'chat_team', 'JPY', 7, 333.33::decimal(18, 2), 2.23::decimal(18, 2)),
            (date '2024-03-01', 'chat_team', 'JPY', 8, 666.67::decimal(18, 2), 4.47::decimal(18, 2))
        ) as t (cost_month_start, team, currency, ticket_id, allocated_amount, allocated_amount_reporting)
        """
    )
    # finance's cost table, empty unless a test fills its own (the allocation checks ignore it)
    con.execute(
        "create table no_cpr (cost_month_start date, currency varchar, is_unallocated boolean,"
        " allocated_cost decimal(18, 2), allocated_cost_reporting decimal(18, 2))"
    )
    return con


TABLES = {"stg_finance__support_costs": "ledger", "int_ticket_cost_allocations": "alloc",
          "cost_per_resolution": "no_cpr"}


def test_passes_when_cents_add_up(con: duckdb.DuckDBPyConnection) -> None:
    assert failing_rows(con, TABLES) == 0


def test_fails_when_one_ticket_is_off_by_a_cent(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("update alloc set allocated_amount = allocated_amount + 0.01 where ticket_id = 2")
    assert failing_rows(con, TABLES) == 1


def test_fails_when_a_pool_is_missing(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("delete from alloc where team = 'chat_team' and currency = 'USD'")
    assert failing_rows(con, TABLES) == 1


def test_fails_when_a_pool_is_not_in_the_ledger(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("insert into alloc values (date '2024-04-01', 'chat_team', 'USD', 9, 0.00, 0.00)")
    assert failing_rows(con, TABLES) == 1


def test_fails_when_yen_are_booked_as_dollars(con: duckdb.DuckDBPyConnection) -> None:
    """The old mistake: the yen pool's amounts added to the reporting currency unconverted."""
    con.execute("update alloc set allocated_amount_reporting = allocated_amount where currency = 'JPY'")
    assert failing_rows(con, TABLES) == 1


def test_fails_when_a_reporting_cent_moves(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "update alloc set allocated_amount_reporting = allocated_amount_reporting + 0.01"
        " where currency = 'JPY' and ticket_id = 7"
    )
    assert failing_rows(con, TABLES) == 1


def test_fails_when_a_currency_pool_is_merged_into_another(con: duckdb.DuckDBPyConnection) -> None:
    """Yen rows relabelled as dollars: the USD pool no longer ties and the JPY pool is missing."""
    con.execute("update alloc set currency = 'USD' where currency = 'JPY'")
    assert failing_rows(con, TABLES) == 2


def test_built_warehouse_copy_fails_when_tampered(tmp_path: Path) -> None:
    """On a copy of the real warehouse: passes as built, fails after moving one cent."""
    db = os.environ.get("SUPPORT_KPIS_DB", str(REPO / "warehouse" / "support_kpis.duckdb"))
    if not Path(db).exists():
        pytest.skip("no built warehouse")
    copy = tmp_path / "wh.duckdb"
    shutil.copy(db, copy)
    con = duckdb.connect(str(copy))
    built = con.execute(
        "select count(*) from information_schema.tables"
        " where table_schema = 'intermediate' and table_name = 'int_ticket_cost_allocations'"
    ).fetchone()[0]
    if not built:
        pytest.skip("int_ticket_cost_allocations not built in this warehouse")
    con.execute(
        "create table main.alloc_copy as select * from intermediate.int_ticket_cost_allocations"
    )
    tables = {
        "stg_finance__support_costs": "staging.stg_finance__support_costs",
        "int_ticket_cost_allocations": "main.alloc_copy",
        "cost_per_resolution": "marts.cost_per_resolution",
    }
    if con.execute("select count(*) from main.alloc_copy").fetchone()[0] == 0:
        pytest.skip("no cost rows in this warehouse")
    assert failing_rows(con, tables) == 0
    con.execute(
        """
        update main.alloc_copy set allocated_amount = allocated_amount + 0.01
        where rowid = (select min(rowid) from main.alloc_copy)
        """
    )
    assert failing_rows(con, tables) == 1


def test_cost_per_resolution_check_fails_when_unallocated_row_is_dropped(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The mart-level check: 110.00 in the ledger; 100.00 allocated + 10.00 unallocated."""
    con.execute(
        """
        create table cpr as select * from (values
            (date '2024-03-01', 'USD', 'email', 60.00::decimal(18, 2), 60.00::decimal(18, 2)),
            (date '2024-03-01', 'USD', 'chat', 40.00::decimal(18, 2), 40.00::decimal(18, 2)),
            (date '2024-03-01', 'USD', 'unallocated', 10.00::decimal(18, 2), 10.00::decimal(18, 2)),
            (date '2024-03-01', 'JPY', 'chat', 1000.00::decimal(18, 2), 6.70::decimal(18, 2))
        ) as t (cost_month_start, currency, channel, allocated_cost, allocated_cost_reporting)
        """
    )
    con.execute("create view cpr_view as select *, channel = 'unallocated' as is_unallocated from cpr")
    tables = {**TABLES, "cost_per_resolution": "cpr_view"}
    assert failing_rows(con, tables, CPR_TEST_SQL) == 0
    con.execute("delete from cpr where channel = 'unallocated'")
    assert failing_rows(con, tables, CPR_TEST_SQL) == 1


def test_cost_per_resolution_check_fails_on_unconverted_yen(con: duckdb.DuckDBPyConnection) -> None:
    """A mart whose yen row claims 1000.00 in the reporting currency is off by 993.30."""
    con.execute(
        """
        create table cpr as select * from (values
            (date '2024-03-01', 'USD', 'chat', 110.00::decimal(18, 2), 110.00::decimal(18, 2)),
            (date '2024-03-01', 'JPY', 'chat', 1000.00::decimal(18, 2), 1000.00::decimal(18, 2))
        ) as t (cost_month_start, currency, channel, allocated_cost, allocated_cost_reporting)
        """
    )
    con.execute("create view cpr_view as select *, channel = 'unallocated' as is_unallocated from cpr")
    tables = {**TABLES, "cost_per_resolution": "cpr_view"}
    assert failing_rows(con, tables, CPR_TEST_SQL) == 1
