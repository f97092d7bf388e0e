"""A daily (incremental) run on Apache Spark gives the same finance base table as a full build
of the same files (issue 16: docs/decisions/spark.md, 'Incremental on Spark').

Spark without Delta/Iceberg has no merge: the base table is partitioned by source_file and a
daily run overwrites whole the partitions of the new files and of the loaded files holding a
row to recheck (macros/engines/incremental.sql). The exports:
  - history: the sample's support_costs.csv (file A) with one EUR line (seed fx_rates has no
    rate: rejected, and rechecked on every run), and file B restating A's 2025-01 chat_team
    salaries (X) and adding an entity of its own (Z);
  - the day: file C, a new month (2026-01) and a restatement of A's 2025-02 email_team
    salaries (Y).
The day's run must rewrite A (Y's copy is superseded now), and recompute A's copy of X
with B's copy beside it (still superseded), without rewriting B (only its X row was read).
History built, then C added and an incremental run: each file's rows once, with the flags
worked out by hand above. It fails on a run that stops (the code before this test) or
appends the rechecked rows. That the whole project's daily run equals a full build of the
same files, every table, is test_spark_same_figures.py's (its day restates finance too).

Two Spark invocations; runs only where Java and pyspark are present.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import duckdb
import pytest

import bad_inputs as bi

pytestmark = bi.SPARK_MODULE

FINANCE_CHAIN = ["--select", "+stg_finance__support_costs", *bi.NO_TESTS]
HEADER = ["month", "team", "cost_category", "amount", "currency"]
FILE_B = "support_costs_b_restated.csv"
FILE_C = "support_costs_c_day.csv"
X = ["2025-01", "chat_team", "salaries"]
Y = ["2025-02", "email_team", "salaries"]
DAY_ROWS = [
    ["2026-01", "all", "software", "2700.00", "USD"],
    ["2026-01", "chat_team", "salaries", "2950.00", "USD"],
    ["2026-01", "email_team", "salaries", "3100.00", "USD"],
    [*Y, "3333.33", "USD"],
]
COLUMNS = ("source_line, raw_record, raw_id, month_start, team, cost_category, raw_amount, number_convention, "
           "amount, currency, rejection_reason, is_superseded")


def base_table(workdir: Path) -> Path:
    return workdir / "wh.spark" / "tables" / "staging.db" / "base_finance__support_costs"


def base_rows(table: Path) -> list[tuple]:
    """(source_file, every column but loaded_at) of a Spark base table, read from its Parquet
    files: the partition value is the folder name (source_file=<escaped path>)."""
    con = duckdb.connect()
    found = []
    for partition in sorted(table.glob("source_file=*")):
        source_file = unquote(partition.name.split("=", 1)[1])
        for row in con.execute(
            f"select {COLUMNS} from read_parquet('{partition}/*.parquet', hive_partitioning = false)"
        ).fetchall():
            found.append((source_file, *row))
    con.close()
    return sorted(found, key=repr)


def partition_files(table: Path, file_name: str) -> list[str]:
    return sorted(p.name for p in table.glob(f"source_file=*{file_name}/*.parquet"))


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("spark_incremental")
    exports = bi.copy_sample(workdir / "exports")
    finance = exports / "finance"
    with (finance / "support_costs.csv").open("a") as sample:
        sample.write("2025-03,chat_team,planted_eur,100.00,EUR\n")
    (finance / FILE_B).write_text(bi.csv_text([
        HEADER, [*X, "2900.00", "USD"], ["2025-06", "chat_team", "planted_training", "120.00", "USD"],
    ]))
    daily = workdir / "daily"
    # each warehouse its own Spark folder, whatever the caller's SUPPORT_KPIS_SPARK_DIR
    daily_env = {"SUPPORT_KPIS_SPARK_DIR": str(daily / "wh.spark")}
    history = bi.dbt(["build", "--target", "spark", *FINANCE_CHAIN], daily, exports, extra_env=daily_env)
    assert history.returncode == 0, history.output[-5000:]
    b_before = partition_files(base_table(daily), FILE_B)
    (finance / FILE_C).write_text(bi.csv_text([HEADER, *DAY_ROWS]))
    day = bi.dbt(["build", "--target", "spark", *FINANCE_CHAIN], daily, exports, extra_env=daily_env)
    yield {"exports": exports, "day": day, "daily": base_table(daily), "b_before": b_before}


def test_daily_run_holds_each_row_once(builds):
    assert builds["day"].returncode == 0, builds["day"].output[-5000:]
    rows = base_rows(builds["daily"])
    # 50 sample rows + the EUR line, B's 2 rows, C's 4 rows: nothing appended twice
    assert len(rows) == 51 + 2 + len(DAY_ROWS)
    assert len({(file, row[0]) for file, *row in rows}) == len(rows)  # (source_file, source_line)


def test_restated_rows_are_superseded_and_untouched_files_kept(builds):
    assert builds["day"].returncode == 0, builds["day"].output[-5000:]
    finance = f"{builds['exports']}/finance"
    rows = base_rows(builds["daily"])
    superseded = {(file.rsplit("/", 1)[1], row[2]) for file, *row in rows if row[-1]}
    # A's copies of X (restated by B) and of Y (restated by the day's C)
    assert superseded == {("support_costs.csv", "|".join(X)), ("support_costs.csv", "|".join(Y))}
    rejected = [(file, row[-2]) for file, *row in rows if row[-2] is not None]
    assert rejected == [(f"{finance}/support_costs.csv", "no FX rate for EUR in 2025-03 to USD (seed fx_rates)")]
    # B held no row to recheck: its partition was read (X's copy) but not rewritten
    assert builds["b_before"] and partition_files(builds["daily"], FILE_B) == builds["b_before"]
