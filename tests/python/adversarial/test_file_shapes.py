"""Adversarial exports, issue 13 §2: files shaped the way real tools and people make them.

One exports folder per class of case, each built once (module fixtures) with bi.dbt:
  1. optional sources: only the helpdesk's tickets and messages. The WHOLE project, with
     every data test, under --warn-error: the marts of the missing exports are empty and
     data_quality_summary says "export not provided"; handle times fall back to defaults;
  2. empty files: a 0-byte NDJSON page (a day without surveys), an NDJSON file of blank
     lines, a 0-byte CSV and a header-only CSV are exports of zero rows;
  3. extra fields: a CSV column and an NDJSON key the contract does not declare are read and
     ignored, listed in the run log and in data_quality_summary; an optional column a file
     lacks is read as null;
  4. broken CSV rows: a row cut short, a row with an unquoted comma and a last line cut off
     inside a quote are quarantined with file and line, the rest of the file loads and the
     reconciliation balances;
  5. encodings: a Latin-1 and a UTF-16 (BOM) CSV are decoded.
Cases 2-5 build staging only (the base models, the audits and data_quality_summary), with
their data tests (the reconciliation test counts the files' rows without staging's readers).
Each case fails on the code before issue 13 §2: the run-start check stopped at a missing,
empty or extra-column file, and DuckDB's CSV reader stopped at a broken row or a non-UTF-8
byte.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import bad_inputs as bi

pytestmark = pytest.mark.dbt_build

# Staging, its audits and the summary that reports them, with their data tests.
STAGING_WITH_SUMMARY = ["--select", "+path:models/staging", "+data_quality_summary", "--indirect-selection", "cautious",
                        "--exclude", "resource_type:unit_test"]
OPTIONAL_TABLES = [(source, table) for source, tables in bi.KNOWN_TABLES.items() for table in tables
                   if (source, table) not in {("gorgias", "tickets"), ("gorgias", "messages")}]


def _build(tmp_path_factory, name: str, mutate, args: list[str]) -> dict:
    workdir = tmp_path_factory.mktemp(name)
    exports = bi.copy_sample(workdir / "exports")
    planted = mutate(exports)
    run = bi.dbt(["--warn-error", "build", *args], workdir / "dbt", exports)
    return {"run": run, "exports": exports, "planted": planted}


def _require_success(run: bi.Run) -> None:
    if run.returncode != 0:
        lines = [line for line in run.output.splitlines()
                 if any(word in line.lower() for word in ("error", "fail", " - "))]
        pytest.fail("dbt build failed:\n" + "\n".join(lines[-40:]))


def _reconciliation(db: Path) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    rows = bi.query(db, "select source_name, table_name, rows_read, rows_kept, rows_duplicate, rows_rejected "
                        "from staging.stg_row_reconciliation")
    return {(r[0], r[1]): tuple(r[2:]) for r in rows}


def _summary(db: Path, check_name: str) -> list[tuple]:
    return bi.query(db, "select source_name, table_name, detail, row_count from marts.data_quality_summary "
                        "where check_name = ? order by all", [check_name])


# ---------------------------------------------------------------- 1. optional sources

def _only_helpdesk_tickets_and_messages(exports: Path) -> None:
    for source in bi.SOURCES:
        if source != "gorgias":
            shutil.rmtree(exports / source)
    for path in (exports / "gorgias").iterdir():
        if not path.name.startswith(("tickets", "messages")):
            path.unlink()


@pytest.fixture(scope="module")
def optional_sources(tmp_path_factory):
    return _build(tmp_path_factory, "optional_sources", _only_helpdesk_tickets_and_messages, [])


def test_optional_sources_whole_build_passes_every_test(optional_sources):
    _require_success(optional_sources["run"])
    assert "ERROR=0" in optional_sources["run"].output and "SKIP=0" in optional_sources["run"].output


def test_optional_sources_summary_says_export_not_provided(optional_sources):
    _require_success(optional_sources["run"])
    missing = {(r[0], r[1]) for r in _summary(optional_sources["run"].db, "export_not_provided")}
    assert missing == set(OPTIONAL_TABLES)


def test_optional_sources_marts_of_missing_exports_are_empty(optional_sources):
    _require_success(optional_sources["run"])
    db = optional_sources["run"].db
    for mart in ("nps_monthly", "refund_requests", "cost_per_resolution"):
        assert bi.query(db, f"select count(*) from marts.{mart}") == [(0,)], mart
    assert bi.query(db, "select count(*) from marts.tickets")[0][0] > 0


def test_optional_sources_handle_time_falls_back_to_defaults(optional_sources):
    _require_success(optional_sources["run"])
    sources = bi.query(optional_sources["run"].db,
                       "select distinct handle_time_source from intermediate.int_ticket_handle_times")
    assert sources == [("default",)]


# ---------------------------------------------------------------- 2-5. one staging build

@pytest.fixture(scope="module")
def shapes(tmp_path_factory):
    """Cases 2-5 in one folder (they touch different files, or add files, and do not
    interact): a staging build each would take four times as long."""
    def mutate(exports: Path) -> dict[int, str]:
        _reencode(exports)
        _add_empty_files(exports)
        _add_fields(exports)
        return _break_rows(exports)
    return _build(tmp_path_factory, "shapes", mutate, STAGING_WITH_SUMMARY)


# ---------------------------------------------------------------- 2. empty files

EMPTY_FILES = {
    "gorgias/satisfaction_surveys_2025-06-02.ndjson": b"",
    "gorgias/ticket_events_blank.ndjson": b"\n\n",
    "shipping/notifications_empty.csv": b"",
    "nps/responses_header_only.csv": b"response_id,person_email,score,comment,created_at\n",
}


def _add_empty_files(exports: Path) -> None:
    for name, content in EMPTY_FILES.items():
        (exports / name).write_bytes(content)


@pytest.fixture(scope="module")
def empty_files(shapes):
    return shapes



def test_empty_files_are_exports_of_zero_rows(empty_files):
    _require_success(empty_files["run"])
    counts = _reconciliation(empty_files["run"].db)
    in_files = bi.file_row_counts(empty_files["exports"], ENCODINGS)
    for source, table in (("gorgias", "satisfaction_surveys"), ("gorgias", "ticket_events"),
                          ("shipping", "notifications"), ("nps", "responses")):
        read, kept, duplicate, rejected = counts[(source, table)]
        assert read == in_files[(source, table)] == kept + duplicate + rejected
    blank = bi.query(empty_files["run"].db, "select regexp_extract(source_file, '[^/]+/[^/]+$') "
                                            "from staging.stg_export_files where is_blank order by 1")
    assert [r[0] for r in blank] == sorted(name for name, content in EMPTY_FILES.items() if not content.strip())


# ---------------------------------------------------------------- 3. extra fields

def _add_fields(exports: Path) -> None:
    bi.rewrite_header(exports / "finance" / "support_costs.csv", add="notes")
    bi.rewrite_header(exports / "nps" / "responses.csv", drop="comment")
    events = bi.read_ndjson(exports / "gorgias" / "ticket_events.ndjson")
    (exports / "gorgias" / "ticket_events.ndjson").write_text(
        bi.ndjson_text([dict(event, via_integration="shopify") for event in events]))


@pytest.fixture(scope="module")
def extra_fields(shapes):
    return shapes



def test_extra_fields_do_not_stop_the_build(extra_fields):
    _require_success(extra_fields["run"])
    counts = _reconciliation(extra_fields["run"].db)
    in_files = bi.file_row_counts(extra_fields["exports"], ENCODINGS)
    for key in (("finance", "support_costs"), ("gorgias", "ticket_events"), ("nps", "responses")):
        assert counts[key][0] == in_files[key]
        assert counts[key][1] > 0


def test_extra_fields_are_listed_once_in_the_log_and_in_the_summary(extra_fields):
    _require_success(extra_fields["run"])
    log_lines = [line for line in extra_fields["run"].output.splitlines() if "unknown column" in line]
    assert len([line for line in log_lines if "support_costs.csv" in line and "notes" in line]) == 1
    assert len([line for line in log_lines if "ticket_events.ndjson" in line and "via_integration" in line]) == 1
    unknown = {(r[0], r[1], r[2].split(" ")[1]) for r in _summary(extra_fields["run"].db, "unknown_column_ignored")}
    assert unknown == {("finance", "support_costs", "notes"), ("gorgias", "ticket_events", "via_integration")}


def test_missing_optional_column_is_read_as_null(extra_fields):
    _require_success(extra_fields["run"])
    db = extra_fields["run"].db
    counts = bi.query(db, "select count(*), count(comment) from staging.base_nps__responses "
                          "where source_file like '%/nps/responses.csv'")[0]
    assert counts[0] > 0 and counts[1] == 0
    absent = _summary(db, "optional_column_absent")
    assert [(r[0], r[1], r[2].split(" ")[1]) for r in absent] == [("nps", "responses", "comment")]


# ---------------------------------------------------------------- 4. broken CSV rows

TIME_ENTRIES = "time_tracking/ticket_time_entries.csv"


def _break_rows(exports: Path) -> dict[int, str]:
    """Three broken records in the time entries: one cut short and one with an unquoted comma
    in the middle, and the last line cut off inside a quoted field (an interrupted download).
    Returns record number (data row, header not counted) -> the words its reason must hold."""
    header, rows = bi.read_csv_rows(exports / TIME_ENTRIES)
    short = rows[10][:3]
    long = rows[20][:2] + ["agent, the second"] + rows[20][3:]
    text = bi.csv_text([header, *rows[:10], short, *rows[10:20]])
    text += ",".join(long) + "\n"
    text += bi.csv_text(rows[20:])
    text += rows[-1][0] + ',"2025-01'
    (exports / TIME_ENTRIES).write_text(text)
    return {11: "missing columns", 22: "too many columns", len(rows) + 3: ""}


@pytest.fixture(scope="module")
def broken_rows(shapes):
    return shapes



def test_broken_rows_are_quarantined_with_file_and_line(broken_rows):
    _require_success(broken_rows["run"])
    rejected = bi.query(broken_rows["run"].db,
                        "select source_line, rejection_reason from staging.stg_rejected_rows "
                        "where source_file like ? and rejection_reason like 'broken CSV row%' order by 1",
                        [f"%/{TIME_ENTRIES}"])
    assert [r[0] for r in rejected] == sorted(broken_rows["planted"])
    for line, reason in rejected:
        assert broken_rows["planted"][line] in reason


def test_broken_rows_the_rest_of_the_file_loads_on_its_own_lines(broken_rows):
    _require_success(broken_rows["run"])
    header, rows = bi.read_csv_rows(broken_rows["exports"] / TIME_ENTRIES)  # csv module: its own record count
    loaded = dict(bi.query(broken_rows["run"].db,
                           "select raw_id, source_line from staging.base_time_tracking__ticket_time_entries "
                           "where source_file like ?", [f"%/{TIME_ENTRIES}"]))
    expected = {row[0]: number for number, row in enumerate(rows, start=1)
                if number not in broken_rows["planted"]}
    assert loaded == expected


def test_broken_rows_reconciliation_balances(broken_rows):
    _require_success(broken_rows["run"])
    read, kept, duplicate, rejected = _reconciliation(broken_rows["run"].db)[("time_tracking", "ticket_time_entries")]
    assert read == bi.file_row_counts(broken_rows["exports"], ENCODINGS)[("time_tracking", "ticket_time_entries")]
    assert read == kept + duplicate + rejected and rejected >= 3


# ---------------------------------------------------------------- 5. encodings

# the files _reencode writes, and their Python codecs (for bi.file_row_counts)
ENCODINGS = {"nps/responses_latin1.csv": "latin-1", "finance/support_costs_utf16.csv": "utf-16"}
UTF16_COST = ["2025-01", "all", "formation_équipe", "125.50", "USD"]


def _reencode(exports: Path) -> None:
    bi._latin1_file(exports, "nps/responses_latin1.csv")
    header = bi.csv_header(exports / "finance" / "support_costs.csv")
    (exports / "finance" / "support_costs_utf16.csv").write_bytes(
        bi.csv_text([header, UTF16_COST]).encode("utf-16"))  # Python writes the BOM


@pytest.fixture(scope="module")
def encodings(shapes):
    return shapes



def test_latin1_and_utf16_files_are_decoded(encodings):
    _require_success(encodings["run"])
    db = encodings["run"].db
    response_id, comment = bi.LATIN1_RESPONSE
    assert bi.query(db, "select comment from staging.stg_nps__responses where response_id = ?",
                    [response_id]) == [(comment,)]
    assert bi.query(db, "select amount::varchar from staging.stg_finance__support_costs "
                        "where cost_category = ?", [UTF16_COST[2]]) == [(UTF16_COST[3],)]
    decoded = {(r[0], r[2].split(":")[0]) for r in _summary(db, "file_encoding_decoded")}
    assert decoded == {("nps", "decoded from latin-1"), ("finance", "decoded from utf-16")}
