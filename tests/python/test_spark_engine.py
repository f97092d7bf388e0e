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

The same Spark invocation builds two Gorgias base models on planted NDJSON and a UTF-16 finance
file (section spark-gaps of the decision log): JSON numbers Java writes otherwise than DuckDB
(1.0E-5, 1.0E21, 9.999999999999999E22), ids DuckDB's cast read as hexadecimal, binary or with
underscores (now rejected on both engines), and a UTF-16 CSV Spark used to refuse. Zendesk schedules with minutes
written as JSON strings are planted in test_spark_same_figures.py's Zendesk comparison. Spark reads the NDJSON files in small splits here
(SPLIT_BYTES), blank lines planted across them: each row keeps its line's number.

Runs only where Java and pyspark are present (scripts/install_spark.sh, requirements.lock).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import bad_inputs as bi

pytestmark = bi.SPARK_MODULE

# What builds on Spark today: every seed and the finance chain. DuckDB builds the staging
# audit models (every base model) and the seeds.
SPARK_SELECTION = ["--select", "+stg_finance__support_costs", "resource_type:seed",
                   "base_gorgias__tickets", "base_gorgias__satisfaction_surveys", "stg_export_files"]
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
ROWS_READ = SAMPLE_ROWS + len(BAD_ROWS) + 1 + 2 + 1 + 1 + 2  # base rows: sample, planted, broken file's good rows

# JSON numbers with a fraction or an exponent: DuckDB reads them as doubles and writes them
# back its way (1e-05 in a text column, 0.00001 inside JSON), Java another (1.0E-5); ids
# DuckDB's cast used to read as numbers (0x1F was 31) are not decimal: rejected on both.
SURVEY_TIMES = '"created_datetime":"2025-01-02T10:00:00+00:00","sent_datetime":null,"scored_datetime":null'
PLANTED_SURVEYS = [
    '{"id":7900001,"ticket_id":20000001,"customer_id":0.00001,"score":1e21,"body_text":"1.0E5",' + SURVEY_TIMES + "}",
    '{"id":"0x1F","ticket_id":20000001,"customer_id":1,"score":4,"body_text":null,' + SURVEY_TIMES + "}",
    '{"id":7900002,"ticket_id":20000001,"customer_id":123456789.5,"score":4.0,"body_text":null,' + SURVEY_TIMES + "}",
    '{"id":7900003,"ticket_id":20000001,"customer_id":99999999999999999999999.5,"score":5,"body_text":"x",'
    + SURVEY_TIMES + "}",
    '{"id":"1_000","ticket_id":20000001,"customer_id":1,"score":5,"body_text":null,' + SURVEY_TIMES + "}",
    '{"id":7900004,"ticket_id":"0b101","customer_id":-1.5e-7,"score":"0x5","body_text":null,' + SURVEY_TIMES + "}",
]
# line -> (customer_id, raw_score, score, rejection_reason), as DuckDB gives them
EXPECTED_SURVEYS = {
    1: ("1e-05", "1e+21", None, "non-integer score"),
    2: ("1", "4", 4, "missing or non-numeric id"),
    3: ("123456789.5", "4.0", 4, None),
    4: ("1e+23", "5", 5, None),
    5: ("1", "5", 5, "missing or non-numeric id"),
    6: ("-1.5e-07", "0x5", None, "missing or non-numeric ticket_id; non-integer score"),
}
# Inside a 'JSON' column a number Java writes as DuckDB does (1.5, 0.0025, 1000.0) is read
# (one that it writes otherwise, 1.0E-5, stops the Spark run: the models read JSON members
# with Spark's functions, which write Java's form again).
PLANTED_ASSIGNEE = '"assignee_user":{"id":1020,"plain":1.50,"spelled":"1.0E5","nested":[2.5e-3,{"big":1e3}]}'
ASSIGNEE_AS_DUCKDB = '"assignee_user":{"id":1020,"plain":1.5,"spelled":"1.0E5","nested":[0.0025,{"big":1000.0}]}'


# Spark reads the NDJSON exports in splits of this many bytes (the sample's surveys file is ~250 kB,
# its tickets ~1 MB): rows are numbered per split, and must come out as DuckDB numbers them.
SPLIT_BYTES = 32 * 1024
SURVEYS_PER_BLANK = 97


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
    # UTF-16 little-endian with a BOM (Excel's "Unicode text"): read by both engines
    (finance / "support_costs_zz_utf16.csv").write_bytes(
        bi.csv_text([header, ["2025-04", "chat_team", "Zoë utf16", "12.00", "USD"]]).encode("utf-16"))
    gorgias = exports / "gorgias"
    # blank lines (not rows on either engine) across the splits Spark reads the file in
    surveys = (gorgias / "satisfaction_surveys.ndjson").read_text().splitlines()
    (gorgias / "satisfaction_surveys.ndjson").write_text("".join(
        line + "\n" + (" \t\n" if number % SURVEYS_PER_BLANK == 0 else "")
        for number, line in enumerate(surveys, start=1)))
    (gorgias / "satisfaction_surveys_zz_numbers.ndjson").write_text("\n".join(PLANTED_SURVEYS) + "\n")
    ticket = (gorgias / "tickets.ndjson").read_text().splitlines()[0]
    assert '"assignee_user":{"id":1020,"email":"agent21@brand.example"}' in ticket
    # an unknown status: rejected, so its raw_record (the columns as read) is kept
    assert '"status":"closed"' in ticket
    (gorgias / "tickets_zz_numbers.ndjson").write_text(ticket.replace('"id":20000001', '"id":29900001', 1).replace(
        '"assignee_user":{"id":1020,"email":"agent21@brand.example"}', PLANTED_ASSIGNEE).replace(
        '"status":"closed"', '"status":"planted_status"') + "\n")


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
                   extra_env={"SUPPORT_KPIS_SPARK_CATALOG": "in-memory",
                              "SUPPORT_KPIS_SPARK_SPLIT_BYTES": str(SPLIT_BYTES)})
    assert spark.returncode == 0, spark.output[-5000:]
    tables = workdir / "spark" / "wh.spark" / "tables"
    con = duckdb.connect()
    con.execute(f"attach '{duck.db}' as duck (read_only)")
    # partitioned by source_file on Spark (dbt_project.yml): one folder per export file
    con.execute(f"create view spark_base as select * from read_parquet("
                f"'{tables}/staging.db/base_finance__support_costs/**/*.parquet', hive_partitioning = true)")
    for model in ("base_gorgias__tickets", "base_gorgias__satisfaction_surveys", "stg_export_files"):
        con.execute(f"create view spark_{model} as select * from read_parquet("
                    f"'{tables}/staging.db/{model}/**/*.parquet', hive_partitioning = true)")
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
    utf16 = con.execute("select cost_category, cast(amount as varchar) from spark_base "
                        "where source_file like '%_utf16.csv'").fetchall()
    assert utf16 == [("zoë utf16", "12.00")]  # categories are lowercased


SURVEY_COLUMNS = ("source_file, source_line, raw_record, raw_id, survey_id, ticket_id, customer_id, raw_score, score, "
                  "rejection_reason, is_superseded")
TICKET_COLUMNS = "source_file, source_line, raw_id, ticket_id, assignee_agent_id, rejection_reason, raw_record"


def test_ndjson_numbers_and_ids_read_as_duckdb_reads_them(builds):
    con = builds["con"]
    for model, columns in (("base_gorgias__satisfaction_surveys", SURVEY_COLUMNS),
                           ("base_gorgias__tickets", TICKET_COLUMNS)):
        duck = rows(con, f"select {columns} from duck.staging.{model}")
        assert rows(con, f"select {columns} from spark_{model}") == duck, model
    planted = con.execute(
        "select source_line, customer_id, raw_score, score, rejection_reason "
        "from duck.staging.base_gorgias__satisfaction_surveys "
        "where source_file like '%_zz_numbers.ndjson' order by source_line").fetchall()
    assert {line: tuple(rest) for line, *rest in planted} == EXPECTED_SURVEYS
    # the files were read in several splits, and every row kept its line's number
    surveys_file = builds["exports"] / "gorgias" / "satisfaction_surveys.ndjson"
    assert surveys_file.stat().st_size > 4 * SPLIT_BYTES
    lines = [line for line in surveys_file.read_text().splitlines() if line.strip()]
    numbered = dict(con.execute(
        "select source_line, raw_id from spark_base_gorgias__satisfaction_surveys "
        f"where source_file = '{surveys_file}'").fetchall())
    assert len(numbered) == len(lines)
    assert all(f'"id":{numbered[number]},' in line for number, line in enumerate(lines, start=1))
    (record,) = con.execute("select raw_record from spark_base_gorgias__tickets where ticket_id = 29900001").fetchone()
    assert ASSIGNEE_AS_DUCKDB in record


EXPORT_FILE_COLUMNS = ("source_name, table_name, source_file, encoding, header_columns, unknown_columns, "
                       "absent_optional_columns, broken_rows, is_blank")


def test_export_file_facts_equal_duckdbs(builds):
    """Every file's facts (encoding, header, keys, broken records, blank), read line by line on
    Spark (in splits here): the same as DuckDB's for each planted encoding and shape. A 0-byte
    file is the one difference: Spark's file sources make no split of it, so Spark never lists
    it (no rows either way; DuckDB lists it as blank)."""
    con = builds["con"]
    duck = rows(con, f"select {EXPORT_FILE_COLUMNS} from duck.staging.stg_export_files")
    zero_bytes = [row for row in duck if Path(row[2]).stat().st_size == 0]
    assert [row[2].rsplit("/", 1)[1] for row in zero_bytes] == ["support_costs_zz_empty.csv"]
    assert rows(con, f"select {EXPORT_FILE_COLUMNS} from spark_stg_export_files") == [
        row for row in duck if row not in zero_bytes]
    encodings = {file.rsplit("/", 1)[1]: encoding for _, _, file, encoding, *_ in duck}
    assert encodings["support_costs_zz_latin1.csv"] == "latin-1"
    assert encodings["support_costs_zz_utf16.csv"] == "utf-16"
    assert encodings["support_costs_zz_empty.csv"] == "utf-8"
    assert {file for _, _, file, *_, is_blank in duck if is_blank} == {f"{builds['exports']}/finance/support_costs_zz_empty.csv"}


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
