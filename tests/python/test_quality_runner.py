"""The GX quality runner fails when a mart is wrong, passes when it is right.

The mart suite below uses the same helpers (``rates``, ``percentiles_ordered``,
``adds_up``, ``sums_to_ledger``) that the real mart entries in
``support_kpis/quality/suites.py`` use; the runner is started as a subprocess
with ``--suites test_quality_runner`` so it imports this module's ``LAYERS``.
Expected figures are worked out by hand from the rows written here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from support_kpis.quality.runner import error_message, merge_batch_results, render_sql, QualityError
from support_kpis.quality.suites import (
    TableCheck,
    adds_up,
    between,
    expect,
    percentiles_ordered,
    rates,
    sums_to_ledger,
)

ROOT = Path(__file__).resolve().parents[2]

# 1 table check (shape: row_count, duplicate_keys; 3 row-local) + 2 query checks = 7 expectations
LAYERS = {
    "marts": [
        TableCheck(
            "fct_support_kpis",
            grain=("month_start", "channel"),
            expectations=(
                *rates("fcr_rate", "csat_rate"),
                *percentiles_ordered(("frt_median_minutes", "frt_p90_minutes")),
            ),
        ),
        adds_up("fct_support_kpis", ["solved_count", "open_count"], "ticket_count", ["month_start"]),
        sums_to_ledger("fct_support_kpis", "allocated_cost_amount"),
    ],
}

GOOD_MART = """
    select * from (values
        (date '2024-01-01', 'email', 0.50, 0.80, 30.0, 240.0, 8, 2, 10, 600.00),
        (date '2024-01-01', 'chat',  1.00, null, 5.0,  5.0,   3, 0, 3,  400.00),
        (date '2024-02-01', 'email', 0.00, 0.75, null, null,  1, 1, 2,  250.50)
    ) as t(month_start, channel, fcr_rate, csat_rate, frt_median_minutes, frt_p90_minutes,
           solved_count, open_count, ticket_count, allocated_cost_amount)
"""

# Wrong on purpose, one fault per check:
#   fcr_rate 1.4 (row 1); median 300 above p90 240 (row 1);
#   January parts 8+2+3+0 = 13 but ticket_count 10+4 = 14; January cost 600+399.99 != ledger 1000.00.
BAD_MART = """
    select * from (values
        (date '2024-01-01', 'email', 1.40, 0.80, 300.0, 240.0, 8, 2, 10, 600.00),
        (date '2024-01-01', 'chat',  1.00, null, 5.0,  5.0,   3, 0, 4,  399.99),
        (date '2024-02-01', 'email', 0.00, 0.75, null, null,  1, 1, 2,  250.50)
    ) as t(month_start, channel, fcr_rate, csat_rate, frt_median_minutes, frt_p90_minutes,
           solved_count, open_count, ticket_count, allocated_cost_amount)
"""

LEDGER = """
    select * from (values
        (date '2024-01-01', 'support', 'salaries', 700.00::decimal(18, 2), 'USD'),
        (date '2024-01-01', 'support', 'tools', 300.00::decimal(18, 2), 'USD'),
        (date '2024-02-01', 'support', 'salaries', 250.50::decimal(18, 2), 'USD')
    ) as t(month_start, team, cost_category, amount, currency)
"""


def make_warehouse(path: Path, mart_sql: str | None) -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema staging")
    con.execute("create schema marts")
    con.execute(f"create table staging.stg_finance__support_costs as {LEDGER}")
    if mart_sql is not None:
        con.execute(
            "create table marts.fct_support_kpis as select * replace "
            f"(allocated_cost_amount::decimal(18, 2) as allocated_cost_amount) from ({mart_sql})"
        )
    con.close()
    return path


def run_runner(warehouse: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(Path(__file__).parent)])
    return subprocess.run(
        [
            sys.executable, "-m", "support_kpis.quality",
            "--warehouse", str(warehouse),
            "--docs-dir", str(tmp_path / "docs"),
            *extra,
        ],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
    )


def test_correct_mart_passes(tmp_path: Path) -> None:
    wh = make_warehouse(tmp_path / "good.duckdb", GOOD_MART)
    proc = run_runner(wh, tmp_path, "--suites", "test_quality_runner", "--layers", "marts")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "gx marts: 7 expectations, 7 passed, 0 failed (" in proc.stdout
    assert (tmp_path / "docs" / "index.html").exists()


def test_wrong_mart_fails_and_names_each_failure(tmp_path: Path) -> None:
    wh = make_warehouse(tmp_path / "bad.duckdb", BAD_MART)
    # batches of 2 rows: the bad rows sit in different batches than the good ones
    proc = run_runner(wh, tmp_path, "--suites", "test_quality_runner", "--layers", "marts", "--batch-rows", "2")
    out = proc.stdout
    assert proc.returncode == 1, out + proc.stderr
    assert "gx marts: 7 expectations, 3 passed, 4 failed (" in out
    failed = [line for line in out.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 4, out
    assert any("column=fcr_rate" in f and "1 unexpected of 3 rows" in f and "1.4" in f for f in failed)
    assert any("column_A=frt_p90_minutes, column_B=frt_median_minutes" in f for f in failed)
    assert any("column=groups_not_adding_up" in f and "1 unexpected of 1 rows" in f for f in failed)
    assert any("column=months_not_matching_ledger" in f and "1 unexpected of 1 rows" in f for f in failed)


def test_missing_mart_is_an_error_not_a_skip(tmp_path: Path) -> None:
    wh = make_warehouse(tmp_path / "missing.duckdb", None)
    proc = run_runner(wh, tmp_path, "--suites", "test_quality_runner", "--layers", "marts", "--no-docs")
    assert proc.returncode == 1
    # all 7 expectations read the missing mart
    assert "gx marts: 7 expectations, 0 passed, 0 failed, 7 errored (" in proc.stdout
    assert "model fct_support_kpis is not in the warehouse" in proc.stdout


def test_missing_warehouse_and_unknown_layer_exit_2(tmp_path: Path) -> None:
    assert run_runner(tmp_path / "nope.duckdb", tmp_path).returncode == 2
    wh = make_warehouse(tmp_path / "good.duckdb", GOOD_MART)
    assert run_runner(wh, tmp_path, "--suites", "test_quality_runner", "--layers", "gold").returncode == 2


def test_real_staging_suite_catches_bad_enum_and_reply_before_creation(tmp_path: Path) -> None:
    path = tmp_path / "stg.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema staging")
    con.execute(
        """
        create table staging.stg_gorgias__tickets as
        select * from (values
            (1::bigint, 'email', 'closed', timestamp '2024-03-01 10:00', timestamp '2024-03-01 12:00'),
            (2::bigint, 'fax', 'open', timestamp '2024-03-02 10:00', null)
        ) as t(ticket_id, channel, status, created_at, closed_at)
        """
    )
    con.execute(
        """
        create table staging.stg_gorgias__messages as
        select * from (values
            (10::bigint, 1::bigint, false, timestamp '2024-03-01 10:00'),
            (11::bigint, 1::bigint, true, timestamp '2024-03-01 09:59')
        ) as t(message_id, ticket_id, is_from_agent, created_at)
        """
    )
    con.close()
    proc = run_runner(path, tmp_path, "--layers", "staging", "--no-docs")
    out = proc.stdout
    assert proc.returncode == 1
    assert "column=channel" in out and "['fax']" in out
    assert "agent_replies_before_ticket_creation" in out
    # a column the contract promises but the table lacks is an error, named
    assert "ERRORED staging stg_gorgias__tickets" in out and "updated_at" in out
    assert "model stg_nps__responses is not in the warehouse" in out


# --------------------------------------------------------------------------- unit tests


def _validate(frames: list[pd.DataFrame], check: TableCheck) -> list:
    import great_expectations as gx
    import great_expectations.expectations as gxe

    ctx = gx.get_context(mode="ephemeral")
    bd = ctx.data_sources.add_pandas("p").add_dataframe_asset("a").add_batch_definition_whole_dataframe("b")
    suite = ctx.suites.add(gx.ExpectationSuite(name="s"))
    for e in check.expectations:
        suite.add_expectation(getattr(gxe, e.type)(**e.kwargs))
    per_batch = [bd.get_batch(batch_parameters={"dataframe": f}).validate(suite).results for f in frames]
    by_id = [{r.expectation_config.id: r for r in results} for results in per_batch]
    return [merge_batch_results([b[e.id] for b in by_id]) for e in suite.expectations]


def test_batched_results_equal_whole_table_results() -> None:
    frame = pd.DataFrame(
        {"rate": [0.1, 1.4, None, 0.9, -0.2, 0.5], "median": [1, 5, 2, None, 3, 3], "p90": [2, 4, 2, 7, None, 1]}
    )
    check = TableCheck("t", expectations=(*rates("rate"), *percentiles_ordered(("median", "p90"))))
    whole = _validate([frame], check)
    batched = _validate([frame.iloc[0:2], frame.iloc[2:4], frame.iloc[4:6]], check)
    for w, b in zip(whole, batched, strict=True):
        assert (w.success, w.result["unexpected_count"], w.result["element_count"]) == (
            b.success,
            b.result["unexpected_count"],
            b.result["element_count"],
        )
    # by hand: rates 1.4 and -0.2 are out of [0, 1]; p90 < median on rows 2 (4 < 5) and 6 (1 < 3)
    assert [b.result["unexpected_count"] for b in batched] == [2, 2]
    assert all(not b.success for b in batched)


def test_batched_error_is_kept() -> None:
    check = TableCheck("t", expectations=(between("missing_column", 0, 1),))
    merged = _validate([pd.DataFrame({"x": [1]}), pd.DataFrame({"x": [2]})], check)
    assert not merged[0].success and error_message(merged[0])


def test_aggregate_expectations_are_refused_on_batched_checks() -> None:
    with pytest.raises(ValueError, match="not row-local"):
        TableCheck("t", expectations=(expect("ExpectColumnMeanToBeBetween", column="x", min_value=0),))


def test_render_sql_missing_model_is_an_error() -> None:
    assert render_sql("select * from {{ ref('a') }}", {"a": '"s"."a"'}) == 'select * from "s"."a"'
    with pytest.raises(QualityError, match="model b is not in the warehouse"):
        render_sql("select * from {{ ref('b') }}", {"a": '"s"."a"'})


def test_rechunk_bounds_every_batch_and_keeps_every_row() -> None:
    import pyarrow as pa

    from support_kpis.quality.runner import rechunk

    schema = pa.schema([("x", pa.int64())])
    batches = [pa.record_batch([pa.array(range(n))], schema=schema) for n in (5, 0, 7, 1)]
    sizes = [t.num_rows for t in rechunk(batches, schema, 4)]
    # 13 rows in batches of 4: 4 + 4 + 4 + 1
    assert sizes == [4, 4, 4, 1]
