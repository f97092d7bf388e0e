"""The whole project on Apache Spark gives DuckDB's figures, table for table, and its daily
(incremental) run gives what a full build of the same files gives (issue 16).

Every table DuckDB built (staging base and audit tables, intermediate, marts, seeds) must
exist on Spark with the same rows: doubles to 1e-9, money and integers exactly, timestamps to
the microsecond (support_kpis.spark_warehouse.compare_table). Spark's tables are its Parquet
files, read with DuckDB. DuckDB builds without tests; Spark too (`dbt build --target spark`).

Brands:
  - Gorgias: the tiny fixture (tests/fixtures/exports/tiny: a few tickets in every domain,
    with its planted mistakes) cut into a history and a day (tiny_history_and_day). Spark
    builds the history (compared with a DuckDB build of the history files: same figures),
    then the day's files are added and Spark runs again, incrementally (compared with a
    DuckDB FULL build of all the files: the daily run equals a full build, and same figures
    at once). The day exercises the rechecks: a late update and messages on a loaded ticket,
    a new ticket merged into it, a time entry on an old ticket, a restated finance month, a
    refund and a re-export of old orders, a restated shipment, and the as-of time moves.
  - Zendesk: the hand-written fixture (bad_inputs.zendesk_exports: 13 tickets with merges,
    follow-ups, deletions, schedules, on the sample's commerce files) with the sample brand's
    schedules and planted ones (minutes as JSON strings, a boolean, grouped digits: read
    alike on both engines, as EXPECTED_SCHEDULES), one full build each.
Bookkeeping is not compared: each model's watermark (incremental_build_state), the rebuild
sets of the daily run (which keys it rebuilt), when rows were loaded (loaded_at, allocated_at).

Measured on this machine (2 cores): see docs/decisions/spark.md ('Measured'). Per-model query
planning and job start dominate on Spark, not data: the whole bundled sample on both engines
is the benchmark's (`python -m support_kpis.benchmark --sizes sample --engine duckdb,spark`).

Runs only where Java and pyspark are present (scripts/install_spark.sh, requirements.lock).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

import bad_inputs as bi
from support_kpis import spark_warehouse

pytestmark = bi.SPARK_MODULE

TINY = bi.TINY_EXPORTS
COMPARED_SCHEMAS = ("reference", "staging", "intermediate", "marts")
# Bookkeeping, not figures: when each incremental model was built and loaded through.
NOT_COMPARED = {("intermediate", "incremental_build_state")}
BRANDS = {
    "gorgias": {},
    "zendesk": bi.ZENDESK_VARS,
}
# The comparisons: a DuckDB build and a Spark warehouse each.
COMPARISONS = ("gorgias_history", "gorgias_daily", "zendesk")
# A daily run's rebuild sets list the keys it rebuilt, a full build's every key.
DAILY_BOOKKEEPING = {("intermediate", "int_ticket_rebuild_set"), ("intermediate", "int_order_rebuild_set")}

# Unit tests Spark runs only with whole-stage code generation off (a Spark bug): their YAML
# enables them on Spark only then, and they run in the data-test run after the daily build.
# This one's query (the model over its literal fixtures) stops inside Spark 4.3, a task cannot
# deserialise the generated code's UnionExec (Scala 2.13 collections, Java serialization); with
# spark.sql.codegen.wholeStage=false (SUPPORT_KPIS_SPARK_WHOLE_STAGE_CODEGEN, profiles.yml) it
# gives the expected rows.
CODEGEN_BUGS = {
    "unit_test.support_kpis.int_ticket_sla_outcomes.int_ticket_sla_outcomes_next_reply_bot_first_and_priority_change",
}

# The tiny fixture's day: ids (the `id` field, a CSV row's first field or its index) of the
# rows moved out of the history into `<stem>_day.<ext>` beside it.
DAY_ROWS = {
    "gorgias/messages_2024-06-02.ndjson": {12},  # the agent's reply on ticket 1
    "gorgias/ticket_events_2024-06-02.ndjson": {22},  # ticket 1 closed
    "gorgias/satisfaction_surveys_2024-06-02.ndjson": {32},  # ticket 1's survey
    "shipping/fulfillments.csv": {1},  # F1 restated (a later promised date): the second F1 row
    "shipping/tracking_events.csv": {"T2", "T3"},
    "shipping/notifications.csv": {"N2"},
    "nps/responses.csv": {"P2"},
}
# Whole files of the day: ticket 1 solved (a late update of a loaded ticket), ticket 6 new
# (merged into ticket 1).
DAY_FILES = ("gorgias/tickets_2024-06-02.ndjson",)
# Rows only the day has, in `<stem>_day.<ext>` with the history file's header.
NEW_DAY_ROWS = {
    "time_tracking/ticket_time_entries.csv": [["E3", "3", "agent@brand.com", "2024-06-02T09:00:00Z", "240"]],
    "returns/return_requests.csv": [  # R3 refunded: a refund on an old order (restates R3)
        ["R3", "#1003", "cy@example.com", "return", "Too small", "refunded", "2024-06-05T10:00:00Z",
         "2024-06-05T11:00:00Z", "2024-06-06T09:00:00Z", "2024-06-06T10:00:00Z", "10.00", "USD", "",
         "2024-06-06T10:00:00Z"],
    ],
    "finance/support_costs.csv": [  # 2024-06 restated, 2024-07 new
        ["2024-06", "email_team", "salaries", "1100.00", "USD"],
        ["2024-07", "all", "software", "260.00", "USD"],
    ],
    "shopify/orders_export_1.csv": [  # #1001 re-exported partly refunded, #1004 new
        ["#1001", "Ann@Example.com", "partially_refunded", "2024-05-30 10:00:00 +0100", "fulfilled",
         "2024-05-31 09:00:00 +0100", "USD", "50.00", "5.00", "4.00", "59.00", "0.00", "Standard",
         "2024-05-30 09:59:00 +0100", "2", "Tee, blue", "20.00", "TEE-B", "", "20.00", "5001", "US", "web"],
        ["#1001", "Ann@Example.com", "", "", "", "", "", "", "", "", "", "", "", "", "1", "Socks", "10.00",
         "SOCK-1", "", "", "5001", "", ""],
        ["#1004", "dee@example.com", "paid", "2024-06-02 10:00:00 +0100", "unfulfilled", "", "USD", "15.00",
         "0.00", "0.00", "15.00", "0.00", "Standard", "2024-06-02 09:59:00 +0100", "1", "Pin", "15.00",
         "PIN-1", "", "0.00", "5004", "US", "web"],
    ],
}


def day_name(relative: str) -> str:
    stem, extension = relative.rsplit(".", 1)
    return f"{stem}_day.{extension}"


def tiny_history_and_day(history: Path, day: Path) -> None:
    """The tiny fixture as a history folder and a day folder (its files to add beside it)."""
    shutil.copytree(TINY, history)
    for relative in DAY_FILES:
        (day / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(history / relative, day / relative)
    for relative, moved in DAY_ROWS.items():
        (day / relative).parent.mkdir(parents=True, exist_ok=True)
        if relative.endswith(".ndjson"):
            objects = bi.read_ndjson(history / relative)
            (history / relative).write_text(bi.ndjson_text([o for o in objects if o["id"] not in moved]))
            (day / day_name(relative)).write_text(bi.ndjson_text([o for o in objects if o["id"] in moved]))
        else:
            header, rows = bi.read_csv_rows(history / relative)
            is_day = [index in moved or row[0] in moved for index, row in enumerate(rows)]
            (history / relative).write_text(bi.csv_text([header, *[r for r, d in zip(rows, is_day) if not d]]))
            (day / day_name(relative)).write_text(bi.csv_text([header, *[r for r, d in zip(rows, is_day) if d]]))
    for relative, rows in NEW_DAY_ROWS.items():
        (day / relative).parent.mkdir(parents=True, exist_ok=True)
        (day / day_name(relative)).write_text(bi.csv_text([bi.csv_header(history / relative), *rows]))


# Zendesk schedules: a minute count is a JSON number, or a JSON string holding one in decimal
# notation (the same minute count); anything else fails the schedule's whole-minute check.
# DuckDB's cast used to read `true` as 1 minute and "1_980" as 1980, Spark's from_json gave
# null for any string (the schedule rejected on Spark only).
SCHEDULE_TIMES = '"created_at":"2023-11-28T05:00:00Z","updated_at":"2023-11-28T05:00:00Z","holidays":[]'
PLANTED_SCHEDULES = [
    '{"id":360000000901,"name":"Quoted minutes","time_zone":"Eastern Time (US & Canada)",'
    '"intervals":[{"start_time":"1980","end_time":"2520"},{"start_time":" 3420 ","end_time":3960.0}],'
    + SCHEDULE_TIMES + "}",
    '{"id":360000000902,"name":"A boolean","time_zone":"Eastern Time (US & Canada)",'
    '"intervals":[{"start_time":true,"end_time":2520}],' + SCHEDULE_TIMES + "}",
    '{"id":360000000903,"name":"Grouped digits","time_zone":"Eastern Time (US & Canada)",'
    '"intervals":[{"start_time":"1_980","end_time":2520}],' + SCHEDULE_TIMES + "}",
]
INVALID_INTERVAL = "interval not in whole minutes inside the week (0-10080, end after start)"
EXPECTED_SCHEDULES = {  # schedule_id -> (intervals, rejection_reason)
    360000000901: ([(1980.0, 2520.0), (3420.0, 3960.0)], None),
    360000000902: ([(None, 2520.0)], INVALID_INTERVAL),
    360000000903: ([(None, 2520.0)], INVALID_INTERVAL),
}



def run_results_of(project_workdir: Path, kind: str) -> list[dict]:
    """The results of the last dbt invocation in that work folder whose unique_id starts with
    `kind` ('test.': data tests, 'unit_test.')."""
    results = json.loads((project_workdir / "target" / "run_results.json").read_text())["results"]
    return [result for result in results if result["unique_id"].startswith(kind)]


@dataclass
class Comparison:
    brand: str
    duck: bi.Run
    spark_dir: Path  # the Spark warehouse folder (its tables/ read with DuckDB)
    not_compared: frozenset = frozenset()


@pytest.fixture(scope="module")
def gorgias_builds(tmp_path_factory) -> dict[str, Comparison]:
    """History on both engines; then the day's files added, Spark's incremental run and
    DuckDB's full build of all the files. Spark keeps its tables between the two runs (Hive
    catalog); a copy of them after the history is what the history is compared with."""
    workdir = tmp_path_factory.mktemp("spark_same_figures_gorgias")
    history, day = workdir / "history", workdir / "day"
    tiny_history_and_day(history, day)
    exports = workdir / "exports"
    shutil.copytree(history, exports)
    spark_dir = workdir / "spark" / "wh.spark"
    spark_env = {"SUPPORT_KPIS_SPARK_DIR": str(spark_dir)}
    # The same folder as Spark's (rows carry their file's path): the history only, for now
    duck_history = bi.dbt(["build", *bi.NO_TESTS], workdir / "duckdb_history", exports)
    assert duck_history.returncode == 0, duck_history.output[-3000:]
    # The history build runs every dbt unit test too (each before its model), but CODEGEN_BUGS
    # (their YAML disables them on Spark unless code generation is off).
    spark_history = bi.dbt(["build", "--target", "spark", "--exclude", "resource_type:test"],
                           workdir / "spark", exports, extra_env=spark_env)
    assert spark_history.returncode == 0, spark_history.output[-3000:]
    unit_test_results = run_results_of(workdir / "spark", "unit_test.")
    history_tables = workdir / "spark_history"
    shutil.copytree(spark_dir / "tables", history_tables / "tables")
    shutil.copytree(day, exports, dirs_exist_ok=True)
    spark_daily = bi.dbt(["build", "--target", "spark", *bi.NO_TESTS], workdir / "spark", exports,
                         extra_env=spark_env)
    assert spark_daily.returncode == 0, spark_daily.output[-3000:]
    duck_full = bi.dbt(["build", *bi.NO_TESTS], workdir / "duckdb_full", exports)
    assert duck_full.returncode == 0, duck_full.output[-3000:]
    # Every data test on both warehouses (a failing one is a result to compare, not a stop);
    # on Spark with CODEGEN_BUGS' unit tests, whole-stage code generation off for that run.
    bi.dbt(["test", "--exclude", "resource_type:unit_test"], workdir / "duckdb_full", exports)
    spark_tests = bi.dbt(["test", "--target", "spark", "--select", "resource_type:test",
                          *(unique_id.split(".")[-1] for unique_id in CODEGEN_BUGS)], workdir / "spark", exports,
                         extra_env={**spark_env, "SUPPORT_KPIS_SPARK_WHOLE_STAGE_CODEGEN": "false"})
    unit_test_results += run_results_of(workdir / "spark", "unit_test.")
    return {
        "data_tests": (run_results_of(workdir / "duckdb_full", "test."), run_results_of(workdir / "spark", "test."),
                       spark_tests.output),
        "unit_tests": (set(json.loads((workdir / "duckdb_history" / "target" / "manifest.json").read_text())["unit_tests"]), unit_test_results),
        "gorgias_history": Comparison("gorgias", duck_history, history_tables),
        "gorgias_daily": Comparison("gorgias", duck_full, spark_dir, frozenset(DAILY_BOOKKEEPING)),
    }


@pytest.fixture(scope="module")
def zendesk_builds(tmp_path_factory) -> Comparison:
    """The Zendesk fixture with the sample brand's schedules and planted ones, on both engines."""
    workdir = tmp_path_factory.mktemp("spark_same_figures_zendesk")
    exports = bi.zendesk_exports(workdir / "exports")
    shutil.copy(bi.REPO / "data" / "sample_zendesk" / "zendesk" / "schedules.ndjson", exports / "zendesk")
    (exports / "zendesk" / "schedules_zz_planted.ndjson").write_text("\n".join(PLANTED_SCHEDULES) + "\n")
    duck = bi.dbt(["build", *bi.NO_TESTS], workdir / "duckdb", exports, extra_vars=BRANDS["zendesk"])
    assert duck.returncode == 0, duck.output[-3000:]
    spark_dir = workdir / "spark" / "wh.spark"
    # The default (Hive) catalog, as a user's build: its metastore refuses a view text over
    # 32,700 characters (stg_duplicate_conflicts is a table on Spark for that reason).
    spark = bi.dbt(["build", "--target", "spark", *bi.NO_TESTS], workdir / "spark", exports,
                   extra_env={"SUPPORT_KPIS_SPARK_DIR": str(spark_dir)}, extra_vars=BRANDS["zendesk"])
    assert spark.returncode == 0, spark.output[-3000:]
    return Comparison("zendesk", duck, spark_dir)


@pytest.fixture(scope="module", params=COMPARISONS)
def builds(request) -> Comparison:
    if request.param.startswith("gorgias"):
        return request.getfixturevalue("gorgias_builds")[request.param]
    return request.getfixturevalue("zendesk_builds")


def duckdb_tables(db: Path, not_compared: frozenset = frozenset()) -> list[tuple[str, str]]:
    return [tuple(row) for row in bi.query(
        db,
        "select table_schema, table_name from information_schema.tables "
        "where table_type = 'BASE TABLE' and table_schema in ? order by all",
        [list(COMPARED_SCHEMAS)],
    ) if tuple(row) not in NOT_COMPARED | not_compared]


def test_spark_builds_every_table_duckdb_builds(builds):
    built = set(spark_warehouse.spark_tables(builds.spark_dir))
    missing = [table for table in duckdb_tables(builds.duck.db) if table not in built]
    assert not missing, f"not built on Spark: {missing}"


def test_every_table_has_the_same_rows_on_both_engines(builds):
    differences = []
    with duckdb.connect(str(builds.duck.db), read_only=True) as left, \
            spark_warehouse.connect(builds.spark_dir) as right:
        for schema, table in duckdb_tables(builds.duck.db, builds.not_compared):
            comparison = spark_warehouse.compare_table(left, right, schema, table)
            if not comparison.equal:
                differences.append(comparison.describe())
    assert not differences, "\n".join(differences)


def test_every_mart_has_rows(builds):
    """A comparison of two empty tables proves nothing: the fixtures fill every mart."""
    db = builds.duck.db
    empty = [table for schema, table in duckdb_tables(db)
             if schema == "marts" and bi.query(db, f'select count(*) from marts."{table}"')[0][0] == 0]
    allowed_empty = EMPTY_MARTS_BY_DESIGN[builds.brand]
    assert set(empty) <= allowed_empty, f"empty marts: {sorted(set(empty) - allowed_empty)}"


def test_the_daily_run_was_a_rebuild_run(gorgias_builds):
    """The daily run on Spark was incremental: every rebuild_keys/delete+insert model of the
    tickets, the tickets mart included, had a watermark after the history's build, so the
    daily run took the rebuild path (rebuild_filter, spark_rebuild_keys_sql), not a first
    build's. On this fixture the set is every ticket: Spark rechecks a loaded file whole and
    stamps all its rows (docs/decisions/spark.md, spark-daily)."""
    with spark_warehouse.connect(gorgias_builds["gorgias_history"].spark_dir) as history:
        state = {row[0] for row in history.execute(
            "select model_name from intermediate.incremental_build_state where loaded_through is not null").fetchall()}
    with spark_warehouse.connect(gorgias_builds["gorgias_daily"].spark_dir) as daily:
        rebuilt = {row[0] for row in daily.execute(
            "select ticket_id from intermediate.int_ticket_rebuild_set").fetchall()}
    assert {1, 6} <= rebuilt, rebuilt  # ticket 1 updated, 6 new
    consumers = {"tickets", "int_ticket_threads", "int_ticket_messages", "int_ticket_issues",
                 "int_ticket_sla_outcomes", "int_ticket_cost_allocations", "int_backlog_daily_snapshots"}
    assert consumers <= state, sorted(consumers - state)


def test_every_unit_test_passes_on_spark(gorgias_builds):
    """The dbt unit tests (models' YAML) are one text for both engines (docs/decisions/spark.md,
    spark-unit-tests): Spark ran every one DuckDB's project has (the history build all but
    CODEGEN_BUGS, a run with code generation off those), and each passed."""
    duckdb_tests, spark_results = gorgias_builds["unit_tests"]
    assert len(duckdb_tests) > 50  # the manifest was read
    assert CODEGEN_BUGS <= duckdb_tests
    assert sorted(r["unique_id"] for r in spark_results) == sorted(duckdb_tests)
    failed = {r["unique_id"]: (r["status"], (r["message"] or "")[:300])
              for r in spark_results if r["status"] != "pass"}
    assert not failed, failed


def test_every_data_test_gives_duckdbs_result_on_spark(gorgias_builds):
    """Every data test (YAML and singular) runs on Spark over the daily run's warehouse and gives
    the result it gives on DuckDB's full build of the same files: the tests are one text for
    both engines (dispatched macros), and a DuckDB-only function would be an error on Spark."""
    duckdb_results, spark_results, spark_output = gorgias_builds["data_tests"]
    assert len(duckdb_results) > 300  # the run happened
    duckdb_status = {r["unique_id"]: r["status"] for r in duckdb_results}
    spark_status = {r["unique_id"]: r["status"] for r in spark_results}
    assert set(spark_status) == set(duckdb_status), spark_output[-3000:]
    differ = {test: (duckdb_status[test], spark_status[test]) for test in duckdb_status
              if duckdb_status[test] != spark_status[test]}
    assert not differ, differ


# Marts a fixture leaves empty because it has none of their input (checked by hand).
EMPTY_MARTS_BY_DESIGN: dict[str, set[str]] = {
    # Zendesk's own ticket metrics, side by side with ours: a Gorgias brand has none.
    "gorgias": {"zendesk_metric_comparison"},
    # The hand-written Zendesk fixture has no ticket_metrics export (the adversarial suite plants one).
    "zendesk": {"zendesk_metric_comparison"},
}


def test_schedule_minutes_read_as_their_numbers_on_both_engines(zendesk_builds):
    """A minute count written as a JSON string is that number on both engines; a boolean or
    grouped digits are not minutes (hand-derived EXPECTED_SCHEDULES)."""
    query = ("select schedule_id, [(i.start_time, i.end_time) for i in intervals], rejection_reason "
             "from staging.base_zendesk__schedules where schedule_id > 360000000900")
    with duckdb.connect(str(zendesk_builds.duck.db), read_only=True) as duck, \
            spark_warehouse.connect(zendesk_builds.spark_dir) as spark:
        for con in (duck, spark):
            planted = con.execute(query).fetchall()
            assert {schedule: (intervals, reason) for schedule, intervals, reason in planted} == EXPECTED_SCHEDULES
