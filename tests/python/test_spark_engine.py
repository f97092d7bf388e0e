"""The finance domain built on Apache Spark (profiles.yml target `spark`, dbt-spark's session
method) agrees with DuckDB row for row (issue 16, first step: docs/decisions/spark.md).

One exports folder, the sample plus planted finance files that exercise what staging does to
a CSV domain: a file whose header lists the columns in another order (Spark maps CSV columns
by position, DuckDB by name), a mixed decimal convention with an ambiguous amount, a
decimal-comma file, a restatement that supersedes a sample row, a quoted comma, a Latin-1
file, a 0-byte file and a file with records the CSV reader cannot split (too many fields, too
few, a quote never closed): Spark leaves them out of the base table as DuckDB does, where its
reader used to stop the run. It is built once on each engine (module fixture): DuckDB builds the
staging audit models, Spark the finance chain (seed fx_rates, base and staging model) with
its run-start checks, and every seed, in one dbt invocation and an in-memory catalog (no Derby metastore).
The Spark tables are Parquet files, read here with DuckDB.

Runs only where Java and pyspark are present (scripts/install_spark.sh, requirements.lock).
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import duckdb
import pytest

import bad_inputs as bi

HAVE_SPARK = shutil.which("java") is not None and importlib.util.find_spec("pyspark") is not None

pytestmark = [
    pytest.mark.dbt_build,
    pytest.mark.spark,
    pytest.mark.skipif(not HAVE_SPARK, reason="needs Java and pyspark (bash scripts/install_spark.sh)"),
]

# What builds on Spark today: every seed and the finance chain. DuckDB builds the staging
# audit models (every base model) and the seeds.
SPARK_SELECTION = ["--select", "+stg_finance__support_costs", "resource_type:seed"]
DUCKDB_SELECTION = [*bi.STAGING_AUDIT, "resource_type:seed"]

BAD_FILE = "support_costs_zz_bad.csv"
# Columns in another order than the sample's header: read by name on both engines.
BAD_HEADER = ["currency", "amount", "month", "team", "cost_category"]
BAD_ROWS = [
    # currency, amount, month, team, cost_category
    ["USD", "-100.00", "2025-01", "chat_team", "planted_negative"],
    ["USD", "n/a", "2025-01", "chat_team", "planted_text"],
    ["USD", "10.00", "2025-13", "chat_team", "planted_month"],
    ["USD", "10.00", "2025-01", "", "planted_team"],
    ["", "10.00", "2025-01", "chat_team", "planted_currency"],
    ["EUR", "10.00", "2025-01", "chat_team", "planted_eur"],
    # readable only with a decimal comma: this file mixes both conventions...
    ["USD", "20,50", "2025-01", "chat_team", "planted_comma"],
    # ...so `1.250` (1.25 or 1250) is not guessed
    ["USD", "1.250", "2025-01", "chat_team", "planted_ambiguous"],
    ["USD", "5.00", "2025-02", "chat, team", "planted_quoted"],
]
# Hand-derived from the staging rules (base_finance__support_costs, number_convention.sql,
# currency.sql; seed fx_rates ships empty): line in BAD_FILE -> reason.
EXPECTED_REJECTIONS = {
    1: "negative amount",
    2: "missing or non-numeric amount",
    3: "missing or unparseable month",
    4: "missing team",
    5: "missing currency",
    6: "no FX rate for EUR in 2025-01 to USD (seed fx_rates)",
    8: "ambiguous decimal separator in amount (the file mixes decimal conventions or does not show one)",
}
SAMPLE_ROWS = 50  # data/sample/finance/support_costs.csv, none superseded
BROKEN_FILE = "support_costs_zz_broken.csv"
# Records 2 and 3 do not split into the header's fields; record 5 opens a quote never closed,
# so the rest of the file is one broken record. Records 1 and 4 are read, numbered as in the file.
BROKEN_LINES = [
    ["2025-05", "chat_team", "planted_ok_before", "1.00", "USD"],
    ["2025-05", "chat_team", "planted_too_many", "2.00", "USD", "extra"],
    ["2025-05", "chat_team", "planted_too_few"],
    ["2025-05", "chat_team", "planted_ok_after", "3.00", "USD"],
]
BROKEN_TAIL = '2025-05,chat_team,"planted_unclosed,4.00,USD\n2025-05,chat_team,planted_swallowed,5.00,USD\n'
BROKEN_RECORDS = 3
ROWS_READ = SAMPLE_ROWS + len(BAD_ROWS) + 1 + 2 + 1 + 2  # base rows: sample, planted, broken file's good rows


def plant_finance_files(exports: Path) -> None:
    finance = exports / "finance"
    (finance / BAD_FILE).write_text(bi.csv_text([BAD_HEADER, *BAD_ROWS]))
    header = bi.csv_header(finance / "support_costs.csv")
    # sorts after support_costs.csv: restates the sample's 2025-01 chat_team salaries
    (finance / "support_costs_zz_restated.csv").write_text(bi.csv_text([
        header, ["2025-01", "chat_team", "salaries", "2900.00", "USD"],
    ]))
    # a decimal-comma file: `2.697` is read by its convention, 2697.00
    (finance / "support_costs_zz_comma.csv").write_text(bi.csv_text([
        header, ["2025-03", "email_team", "planted_eu", "1.234,56", "USD"],
        ["2025-03", "email_team", "planted_eu_thousands", "2.697", "USD"],
    ]))
    (finance / "support_costs_zz_latin1.csv").write_bytes(
        bi.csv_text([header, ["2025-04", "chat_team", "café", "10.00", "USD"]]).encode("latin-1"))
    (finance / "support_costs_zz_empty.csv").write_bytes(b"")
    (finance / BROKEN_FILE).write_text(bi.csv_text([header, *BROKEN_LINES]) + BROKEN_TAIL)


BASE_COLUMNS = ("source_file, source_line, raw_record, raw_id, month_start, team, cost_category, raw_amount, "
                "number_convention, amount, currency, rejection_reason, is_superseded")


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("spark_engine")
    exports = bi.copy_sample(workdir / "exports")
    plant_finance_files(exports)
    duck = bi.dbt(["build", *DUCKDB_SELECTION, *bi.NO_TESTS], workdir / "duckdb", exports)
    assert duck.returncode == 0, duck.output[-3000:]
    spark = bi.dbt(["build", "--target", "spark", *SPARK_SELECTION, *bi.NO_TESTS], workdir / "spark", exports,
                   extra_env={"SUPPORT_KPIS_SPARK_CATALOG": "in-memory"})
    assert spark.returncode == 0, spark.output[-5000:]
    tables = workdir / "spark" / "wh.spark" / "tables"
    con = duckdb.connect()
    con.execute(f"attach '{duck.db}' as duck (read_only)")
    # partitioned by source_file on Spark (dbt_project.yml): one folder per export file
    con.execute(f"create view spark_base as select * from read_parquet("
                f"'{tables}/staging.db/base_finance__support_costs/**/*.parquet', hive_partitioning = true)")
    yield {"con": con, "exports": exports, "duck": duck, "spark": spark, "tables": tables}
    con.close()


def rows(con, sql: str) -> list[tuple]:
    return sorted(con.execute(sql).fetchall(), key=repr)


def test_base_rows_equal_duckdb_row_for_row(builds):
    con = builds["con"]
    duck = rows(con, f"select {BASE_COLUMNS} from duck.staging.base_finance__support_costs")
    spark = rows(con, f"select {BASE_COLUMNS} from spark_base")
    assert len(duck) == ROWS_READ
    assert spark == duck
    # the broken file's readable records keep their record numbers, on Spark as on DuckDB
    broken_file = f"{builds['exports']}/finance/{BROKEN_FILE}"
    assert rows(con, f"select source_line, cost_category from spark_base where source_file = '{broken_file}'") == [
        (1, "planted_ok_before"), (4, "planted_ok_after")]


def test_rejected_rows_equal_duckdbs_and_the_hand_derived_reasons(builds):
    con = builds["con"]
    # stg_rejected_rows' branch for a base model, applied to Spark's base table
    spark = rows(con, "select source_file, source_line, cast(raw_id as varchar), rejection_reason, raw_record "
                      "from spark_base where rejection_reason is not null")
    duck = rows(con, "select source_file, source_line, record_id, rejection_reason, raw_record "
                     "from duck.staging.stg_rejected_rows where source_name = 'finance' "
                     "and rejection_reason not like 'broken CSV row%'")
    assert spark == duck
    bad_file = f"{builds['exports']}/finance/{BAD_FILE}"
    assert {line: reason for file, line, _, reason, _ in spark} == EXPECTED_REJECTIONS
    assert {file for file, *_ in spark} == {bad_file}


def test_reconciliation_equals_duckdbs(builds):
    con = builds["con"]
    # stg_row_reconciliation's counts for a base model; DuckDB's also count the broken records
    spark = con.execute(
        "select count(*), count(*) filter (where rejection_reason is null and not is_superseded), "
        "count(*) filter (where is_superseded), count(*) filter (where rejection_reason is not null) "
        "from spark_base").fetchone()
    duck = con.execute(
        f"select rows_read - {BROKEN_RECORDS}, rows_kept, rows_duplicate, rows_rejected - {BROKEN_RECORDS} "
        "from duck.staging.stg_row_reconciliation where source_name = 'finance'").fetchone()
    assert spark == duck
    assert spark == (ROWS_READ, ROWS_READ - 1 - len(EXPECTED_REJECTIONS), 1, len(EXPECTED_REJECTIONS))


def test_amounts_read_by_their_files_convention(builds):
    con = builds["con"]
    amounts = dict(con.execute(
        "select cost_category, cast(amount as varchar) from spark_base where cost_category in "
        "('planted_comma', 'planted_eu', 'planted_eu_thousands', 'café', 'planted_quoted')").fetchall())
    assert amounts == {"planted_comma": "20.50", "planted_eu": "1234.56", "planted_eu_thousands": "2697.00",
                       "café": "10.00", "planted_quoted": "5.00"}


def test_seeds_equal_duckdbs_with_the_same_types(builds):
    con, reference = builds["con"], builds["tables"] / "reference.db"
    seeds = [name for (name,) in con.execute(
        "select table_name from information_schema.tables where table_catalog = 'duck' and table_schema = 'reference'").fetchall()]
    assert len(seeds) >= 17
    for seed in seeds:
        duck = f"duck.reference.{seed}"
        if not list((reference / seed).glob("*.parquet")):  # Spark writes no file for an empty seed
            assert (reference / seed).is_dir() and con.execute(f"select count(*) from {duck}").fetchone() == (0,), seed
            continue
        spark = f"read_parquet('{reference / seed}/*.parquet')"
        assert rows(con, f"select * from {spark}") == rows(con, f"select * from {duck}"), seed
        types = [[column[1] for column in con.execute(f"describe select * from {relation}").fetchall()]
                 for relation in (spark, duck)]
        assert types[0] == types[1], seed
