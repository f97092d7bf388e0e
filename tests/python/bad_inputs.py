"""Builders for broken export folders, and the dbt/DuckDB helpers the bad-input suite shares.

Every folder starts as a copy of data/sample (the exports only: `_truth/` and the manifest
are left out) and then gets one family of problems, written by the functions below.
Nothing here knows what staging does with the rows: the expectations live in the tests.

Planted rows use ids far outside the sample's ranges (tickets 2000xxxx, messages 3000xxxxx,
surveys 70xxxxx...), so they can never collide with a clean row by accident.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
# A few tickets in every domain, with planted mistakes (tests/fixtures/exports/tiny).
TINY_EXPORTS = REPO / "tests" / "fixtures" / "exports" / "tiny"
# A module that builds on the spark target: `pytestmark = bi.SPARK_MODULE` (skipped without
# Java and pyspark: bash scripts/install_spark.sh, requirements.lock).
HAVE_SPARK = shutil.which("java") is not None and importlib.util.find_spec("pyspark") is not None
SPARK_MODULE = [
    pytest.mark.dbt_build,
    pytest.mark.spark,
    pytest.mark.skipif(not HAVE_SPARK, reason="needs Java and pyspark (bash scripts/install_spark.sh)"),
]
PROJECT = Path(os.environ.get("SUPPORT_KPIS_PROJECT_DIR", REPO))
SAMPLE = REPO / "data" / "sample"
EXPORT_TZ = ZoneInfo("America/New_York")  # dbt var export_timezone (dbt_project.yml)
SOURCES = ("gorgias", "shopify", "shipping", "returns", "nps", "time_tracking", "finance")
# Models the run-start check and the reconciliation need: every base table + the two audits.
STAGING_AUDIT = ["--select", "+stg_row_reconciliation", "+stg_rejected_rows"]
# Data tests are not run here: the suite asserts on the built tables itself.
NO_TESTS = ["--exclude", "resource_type:test", "resource_type:unit_test"]


# ---------------------------------------------------------------- folders and files

def copy_sample(dest: Path) -> Path:
    """A fresh exports folder holding the sample's export files only."""
    dest.mkdir(parents=True, exist_ok=True)
    for source in SOURCES:
        shutil.copytree(SAMPLE / source, dest / source)
    return dest


def ndjson_text(objects: list[dict]) -> str:
    return "".join(json.dumps(obj) + "\n" for obj in objects)


def csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def csv_header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return next(csv.reader(handle))


def read_csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def read_ndjson(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def parse_utc(text: str) -> datetime:
    """The sample's ISO timestamps (`...Z` or `...+00:00`) as aware UTC datetimes. A naive
    text (a local time; the sample plants some) raises ValueError rather than pass as UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"naive timestamp {text!r}")
    return moment.astimezone(timezone.utc)


def timestamp_variants(moment: datetime) -> list[str]:
    """One instant written four ways the export contract accepts: Z, +05:30 offset,
    Shopify style (`-0500`, colon-less) and naive local time in the export timezone."""
    utc = moment.astimezone(timezone.utc)
    india = utc.astimezone(timezone(timedelta(hours=5, minutes=30)))
    local = utc.astimezone(EXPORT_TZ)
    return [
        utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        india.strftime("%Y-%m-%dT%H:%M:%S+05:30"),
        local.strftime("%Y-%m-%d %H:%M:%S ") + local.strftime("%z"),
        local.strftime("%Y-%m-%d %H:%M:%S"),
    ]


def is_unambiguous_local(moment: datetime) -> bool:
    """False in the autumn DST overlap, where a naive local time names two instants."""
    local = moment.astimezone(EXPORT_TZ).replace(tzinfo=None)
    return local.replace(tzinfo=EXPORT_TZ, fold=0).utcoffset() == local.replace(tzinfo=EXPORT_TZ, fold=1).utcoffset()


# ---------------------------------------------------------------- row-level plants

@dataclass(frozen=True)
class Plant:
    """One bad row planted on top of the clean sample, and what must become of it."""

    case: str
    source_name: str
    table_name: str
    file_name: str  # basename inside <exports>/<source>/
    record_id: str
    reason: str  # substring the row's rejection_reason must contain


PLANTED_FILES = {
    # `_zz_` sorts after the clean files, so a planted copy is the *later* file: a
    # duplicate must lose on its older `updated`, never on file order.
    "tickets": "tickets_zz_bad.ndjson",
    "messages": "messages_zz_bad.ndjson",
    "surveys": "satisfaction_surveys_zz_bad.ndjson",
    "nps": "responses_zz_bad.csv",
    "returns": "return_requests_zz_bad.csv",
    "costs": "support_costs_zz_bad.csv",
    "time": "ticket_time_entries_zz_bad.csv",
    "orders": "orders_zz_bad.csv",
}

PLANTS = [
    Plant("future created date", "gorgias", "tickets", PLANTED_FILES["tickets"], "29990001", "future"),
    Plant("unparseable day-first timestamp", "gorgias", "tickets", PLANTED_FILES["tickets"], "29990002",
          "unparseable created_datetime"),
    Plant("reply dated before its ticket", "gorgias", "messages", PLANTED_FILES["messages"], "399990001", "before"),
    Plant("message for an unknown ticket", "gorgias", "messages", PLANTED_FILES["messages"], "399990002",
          "unknown ticket"),
    Plant("CSAT score 7", "gorgias", "satisfaction_surveys", PLANTED_FILES["surveys"], "7999001", "out of range"),
    Plant("CSAT score 0", "gorgias", "satisfaction_surveys", PLANTED_FILES["surveys"], "7999002", "out of range"),
    Plant("NPS score 11", "nps", "responses", PLANTED_FILES["nps"], "889901", "out of range"),
    Plant("NPS score as a word", "nps", "responses", PLANTED_FILES["nps"], "889902", "non-integer score"),
    Plant("NPS answer dated 2100", "nps", "responses", PLANTED_FILES["nps"], "889903", "future"),
    Plant("negative refund amount", "returns", "return_requests", PLANTED_FILES["returns"], "RET-9999001",
          "negative amount"),
    # issue 13: a decimal comma is read by its file's convention; `1.250` in a file that has both
    # `-10.00` and `20,00` could be 1.25 or 1250, so it is quarantined instead
    Plant("ambiguous refund amount in a mixed-convention file", "returns", "return_requests",
          PLANTED_FILES["returns"], "RET-9999002", "ambiguous decimal separator in refund_amount"),
    Plant("refund for an unknown order", "returns", "return_requests", PLANTED_FILES["returns"], "RET-9999003",
          "unknown order"),
    Plant("negative cost amount", "finance", "support_costs", PLANTED_FILES["costs"], None, "negative amount"),
    Plant("non-numeric cost amount", "finance", "support_costs", PLANTED_FILES["costs"], None,
          "non-numeric amount"),
    Plant("negative tracked duration", "time_tracking", "ticket_time_entries", PLANTED_FILES["time"],
          "TT-99990001", "negative duration_seconds"),
    Plant("non-integer tracked duration", "time_tracking", "ticket_time_entries", PLANTED_FILES["time"],
          "TT-99990002", "non-integer duration_seconds"),
    Plant("negative order total", "shopify", "orders", PLANTED_FILES["orders"], "5199999999001", "negative amount"),
    Plant("non-numeric order total", "shopify", "orders", PLANTED_FILES["orders"], "5199999999002",
          "non-numeric Total"),
]

# A conflicting copy of a clean ticket with an OLDER update time: it must be counted as a
# duplicate (superseded), never win and never be rejected.
STALE_DUPLICATE_TICKET = "20000001"


def plant_bad_rows(exports: Path) -> dict[tuple[str, str], int]:
    """Adds one `_zz_bad` file per table with the PLANTS rows; returns rows added per table."""
    tickets = {str(t["id"]): t for t in read_ndjson(exports / "gorgias" / "tickets.ndjson")}
    first = tickets[STALE_DUPLICATE_TICKET]
    created = parse_utc(first["created_datetime"])
    template = dict(first, custom_fields=[], tags=[], merged_into_ticket_id=None)
    stale = dict(first, status="open", priority="critical", subject="CONFLICTING STALE COPY",
                 closed_datetime=None,
                 updated_datetime=(created - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    future = dict(template, id=29990001, created_datetime="2099-06-01T10:00:00Z", closed_datetime=None,
                  updated_datetime="2099-06-01T10:00:00Z")
    dayfirst = dict(template, id=29990002, created_datetime="31/12/2025 10:00", closed_datetime=None,
                    updated_datetime="2025-12-31T15:00:00Z")
    (exports / "gorgias" / PLANTED_FILES["tickets"]).write_text(ndjson_text([stale, future, dayfirst]))

    message = {"sender": {"id": 1020, "email": "agent21@brand.example", "name": "Agent"}, "from_agent": True,
               "public": True, "via": "helpdesk", "rule_id": None, "body_text": "Planted reply", "sent_datetime": None}
    before = (created - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    (exports / "gorgias" / PLANTED_FILES["messages"]).write_text(ndjson_text([
        dict(message, id=399990001, ticket_id=int(STALE_DUPLICATE_TICKET), created_datetime=before),
        dict(message, id=399990002, ticket_id=29999999, created_datetime="2025-03-01T10:00:00Z"),
    ]))

    survey = {"ticket_id": int(STALE_DUPLICATE_TICKET), "customer_id": first["customer"]["id"], "body_text": None,
              "created_datetime": "2025-01-01T15:00:00Z", "sent_datetime": "2025-01-01T15:00:00Z",
              "scored_datetime": "2025-01-01T16:00:00Z"}
    (exports / "gorgias" / PLANTED_FILES["surveys"]).write_text(ndjson_text([
        dict(survey, id=7999001, score=7), dict(survey, id=7999002, score=0),
    ]))

    nps_header = csv_header(exports / "nps" / "responses.csv")
    (exports / "nps" / PLANTED_FILES["nps"]).write_text(csv_text([
        nps_header,
        ["889901", "planted1@example.com", "11", "Great", "1740000000"],
        ["889902", "planted2@example.com", "ten", "Great", "1740000000"],
        ["889903", "planted3@example.com", "9", "From the future", "4102444800"],
    ]))

    returns_header = csv_header(exports / "returns" / "return_requests.csv")
    returns_template = {
        "order_name": "#1021", "customer_email": "planted@example.com", "type": "refund",
        "reason": "Arrived damaged", "status": "requested", "requested_at": "2025-02-01T10:00:00Z",
        "approved_at": "", "received_at": "", "refunded_at": "", "currency": "USD",
        "helpdesk_ticket_id": "", "updated_at": "2025-02-01T10:00:00Z",
    }
    returns_rows = [
        dict(returns_template, return_id="RET-9999001", refund_amount="-10.00"),
        dict(returns_template, return_id="RET-9999002", refund_amount="1.250"),
        dict(returns_template, return_id="RET-9999003", refund_amount="20,00", order_name="#999999"),
    ]
    (exports / "returns" / PLANTED_FILES["returns"]).write_text(
        csv_text([returns_header, *[[row[col] for col in returns_header] for row in returns_rows]]))

    costs_header = csv_header(exports / "finance" / "support_costs.csv")
    (exports / "finance" / PLANTED_FILES["costs"]).write_text(csv_text([
        costs_header,
        ["2025-01", "chat_team", "planted_negative", "-100.00", "USD"],
        ["2025-01", "chat_team", "planted_text", "n/a", "USD"],
    ]))

    time_header = csv_header(exports / "time_tracking" / "ticket_time_entries.csv")
    (exports / "time_tracking" / PLANTED_FILES["time"]).write_text(csv_text([
        time_header,
        ["TT-99990001", STALE_DUPLICATE_TICKET, "agent21@brand.example", "2025-01-01T14:00:00Z", "-30"],
        ["TT-99990002", STALE_DUPLICATE_TICKET, "agent21@brand.example", "2025-01-01T14:00:00Z", "12s"],
    ]))

    orders_header, orders_rows = read_csv_rows(exports / "shopify" / "orders.csv")
    base = dict(zip(orders_header, orders_rows[0]))
    planted_orders = [
        dict(base, Name="#999001", Id="5199999999001", Total="-5.00"),
        dict(base, Name="#999002", Id="5199999999002", Total="abc"),
    ]
    (exports / "shopify" / PLANTED_FILES["orders"]).write_text(
        csv_text([orders_header, *[[row[col] for col in orders_header] for row in planted_orders]]))

    return {
        ("gorgias", "tickets"): 3, ("gorgias", "messages"): 2, ("gorgias", "satisfaction_surveys"): 2,
        ("nps", "responses"): 3, ("returns", "return_requests"): 3, ("finance", "support_costs"): 2,
        ("time_tracking", "ticket_time_entries"): 2, ("shopify", "orders"): 2,
    }


# ---------------------------------------------------------------- same data, other spellings

# The NPS answer whose comment gets a newline in place of its first space (quoted CSV field).
MULTILINE_NPS_ROW = 1  # data row index in nps/responses.csv


def rewrite_equivalent_formats(exports: Path) -> None:
    """Rewrites clean files so the *data* is unchanged but the bytes are awkward:
    UTF-8 BOM on the NPS file, every timestamp of return requests and of ticket creation
    cycled through four accepted spellings, one NPS comment with a quoted newline, and a
    header-only extra notifications file."""
    nps = exports / "nps" / "responses.csv"
    header, rows = read_csv_rows(nps)
    comment = header.index("comment")
    rows[MULTILINE_NPS_ROW][comment] = rows[MULTILINE_NPS_ROW][comment].replace(" ", "\n", 1)
    nps.write_text(csv_text([header, *rows]), encoding="utf-8-sig")

    returns = exports / "returns" / "return_requests.csv"
    header, rows = read_csv_rows(returns)
    for index, row in enumerate(rows):
        for column in ("requested_at", "approved_at", "received_at", "refunded_at", "updated_at"):
            position = header.index(column)
            try:
                moment = parse_utc(row[position]) if row[position] else None
            except ValueError:  # the sample's planted unparseable values stay as they are
                moment = None
            if moment is not None and is_unambiguous_local(moment):
                row[position] = timestamp_variants(moment)[index % 4]
    returns.write_text(csv_text([header, *rows]))

    tickets_path = exports / "gorgias" / "tickets.ndjson"
    tickets = read_ndjson(tickets_path)
    for index, ticket in enumerate(tickets):
        try:
            moment = parse_utc(ticket["created_datetime"])
        except (TypeError, ValueError):
            continue
        if moment.microsecond == 0 and is_unambiguous_local(moment):
            ticket["created_datetime"] = timestamp_variants(moment)[index % 4]
    tickets_path.write_text(ndjson_text(tickets))

    notifications = exports / "shipping" / "notifications.csv"
    (exports / "shipping" / "notifications_header_only.csv").write_text(csv_text([csv_header(notifications)]))


# ---------------------------------------------------------------- file-level problems

def rewrite_header(path: Path, rename: dict[str, str] | None = None, drop: str | None = None,
                   add: str | None = None) -> None:
    header, rows = read_csv_rows(path)
    keep = [i for i, col in enumerate(header) if col != drop]
    new_header = [(rename or {}).get(header[i], header[i]) for i in keep] + ([add] if add else [])
    new_rows = [[row[i] for i in keep] + (["x"] if add else []) for row in rows]
    path.write_text(csv_text([new_header, *new_rows]))


HEADER_PROBLEMS = {
    # file -> words the run-start error line naming that file must all contain
    "shopify/orders.csv": ["missing required", "Total"],
    "time_tracking/ticket_time_entries.csv": ["renamed", "duration_seconds", "duration_secs"],
    "gorgias/ticket_events.ndjson": ["renamed", "type", "event_type"],
}

HEADER_NOTES = {
    # file -> words of the run-start log line naming it: listed, never a reason to stop
    # (an optional column absent is read as null, an unknown one is read and ignored)
    "nps/responses.csv": ["optional", "comment", "read as null"],
    "finance/support_costs.csv": ["unknown", "notes"],
}


def break_headers(exports: Path) -> dict[str, list[str]]:
    """Missing (required and optional), extra and renamed columns, one table each (CSV and
    NDJSON). Returns file name -> words the run-start error must contain for it (the files
    whose problem stops the run; HEADER_NOTES lists the others)."""
    rewrite_header(exports / "nps" / "responses.csv", drop="comment")
    rewrite_header(exports / "finance" / "support_costs.csv", add="notes")
    rewrite_header(exports / "shopify" / "orders.csv", drop="Total")
    rewrite_header(exports / "time_tracking" / "ticket_time_entries.csv",
                   rename={"duration_seconds": "duration_secs"})
    events = read_ndjson(exports / "gorgias" / "ticket_events.ndjson")
    renamed = [{("event_type" if key == "type" else key): value for key, value in e.items()} for e in events]
    (exports / "gorgias" / "ticket_events.ndjson").write_text(ndjson_text(renamed))
    return HEADER_PROBLEMS


LATIN1_RESPONSE = ("889950", "Très bien, merci à l'équipe")


def _empty_file(exports: Path, file_name: str) -> None:
    (exports / file_name).write_bytes(b"")


def _latin1_file(exports: Path, file_name: str) -> None:
    header = csv_header(exports / "nps" / "responses.csv")
    row = [LATIN1_RESPONSE[0], "chloe.muller@example.com", "9", LATIN1_RESPONSE[1], "1740000000"]
    (exports / file_name).write_bytes(csv_text([header, row]).encode("latin-1"))


def _truncate_last_line(exports: Path, file_name: str) -> None:
    """Cuts the file inside its last record, as an interrupted download would."""
    text = (exports / file_name).read_text(encoding="utf-8").rstrip("\n")
    last = text.rsplit("\n", 1)[1]
    cut = last[: len(last) // 2] if file_name.endswith(".ndjson") else last.split(",")[0] + ',"2025-01'
    (exports / file_name).write_text(text[: -len(last)] + cut)


@dataclass(frozen=True)
class FileProblem:
    """A file-level problem. The run must stop with an error naming the file and one of
    `words`, or finish having handled it (see the test)."""

    file_name: str  # relative to the exports folder
    words: tuple[str, ...]
    write: object  # callable(exports, file_name)
    must_be_handled: bool = False  # a valid export (issue 13 §2): an error is not an answer


def _windows1252_file(exports: Path, file_name: str) -> None:
    """A CSV saved by Excel on Windows: curly quotes (bytes 0x93/0x94), no valid UTF-8."""
    header = csv_header(exports / "nps" / "responses.csv")
    row = ["889951", "chloe.muller@example.com", "9", "\u201cParfait\u201d, merci", "1740000000"]
    (exports / file_name).write_bytes(csv_text([header, row]).encode("cp1252"))


FILE_PROBLEMS = {
    "empty NDJSON page": FileProblem("gorgias/ticket_events_empty.ndjson", ("empty",), _empty_file, True),
    "empty CSV file": FileProblem("shipping/notifications_empty.csv", ("empty",), _empty_file, True),
    "Latin-1 CSV": FileProblem("nps/responses_latin1.csv", ("utf-8", "unicode", "encoding"), _latin1_file, True),
    "Windows-1252 CSV": FileProblem("nps/responses_cp1252.csv", ("iconv -f windows-1252",),
                                    _windows1252_file),
    "truncated NDJSON": FileProblem("gorgias/messages.ndjson", ("truncat", "malformed", "unexpected end"),
                                    _truncate_last_line),
    "truncated CSV": FileProblem("time_tracking/ticket_time_entries.csv",
                                 ("truncat", "unterminated", "quote", "incomplete"), _truncate_last_line, True),
}


# ---------------------------------------------------------------- late data

def _has_offset(text) -> bool:
    try:
        parse_utc(text)
    except (TypeError, ValueError):
        return False
    return True


def add_late_reexport(exports: Path, count: int = 3) -> dict[str, dict]:
    """A later tickets export re-sending `count` closed tickets with a changed priority and an
    `updated_datetime` one minute after their own, never past the newest update in the data
    (that would move the data's as-of time and with it every open ticket's figures)."""
    tickets = read_ndjson(exports / "gorgias" / "tickets.ndjson")
    resent = {str(t["id"]) for path in (exports / "gorgias").glob("tickets_*.ndjson") for t in read_ndjson(path)}
    chosen: dict[str, dict] = {}
    for ticket in tickets:
        if (str(ticket["id"]) in resent or not _has_offset(ticket["updated_datetime"]) or ticket["status"] != "closed" or ticket["spam"]
                or ticket["merged_into_ticket_id"] is not None or ticket["priority"] != "normal"):
            continue
        chosen[str(ticket["id"])] = dict(
            ticket, priority="critical",
            updated_datetime=(parse_utc(ticket["updated_datetime"]) + timedelta(minutes=1)).strftime(
                "%Y-%m-%dT%H:%M:%SZ"),
        )
        if len(chosen) == count:
            break
    (exports / "gorgias" / "tickets_zz_late.ndjson").write_text(ndjson_text(list(chosen.values())))
    return chosen


# ---------------------------------------------------------------- dbt and the warehouse

@dataclass
class Run:
    returncode: int
    output: str
    seconds: float
    db: Path


def dbt(args: list[str], workdir: Path, exports: Path, extra_env: dict[str, str] | None = None,
        project: Path | None = None, extra_vars: dict | None = None) -> Run:
    """Runs dbt with its own warehouse, target, logs and temp dir under workdir. project: a
    copy of the project (copy_project) to run instead of PROJECT, e.g. with edited seeds;
    extra_vars: more --vars beside exports_path."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "tmp").mkdir(exist_ok=True)
    db = workdir / "wh.duckdb"
    env = {
        **os.environ,
        "SUPPORT_KPIS_DB": str(db),
        "DBT_TARGET_PATH": str(workdir / "target"),
        "DBT_LOG_PATH": str(workdir / "logs"),
        "SUPPORT_KPIS_TEMP_DIR": str(workdir / "tmp"),
        "DBT_PROFILES_DIR": str(PROJECT),
        **(extra_env or {}),
    }
    project_dir = project or PROJECT
    cmd = [sys.executable, "-m", "dbt.cli.main", *args, "--project-dir", str(project_dir),
           "--vars", json.dumps({"exports_path": str(exports), **(extra_vars or {})})]
    started = time.monotonic()
    result = subprocess.run(cmd, env=env, cwd=project_dir, capture_output=True, text=True, check=False)
    return Run(result.returncode, result.stdout + result.stderr, time.monotonic() - started, db)


def copy_project(dest: Path) -> Path:
    """A copy of the dbt project (code, seeds, tests; no data, environment or build output),
    for runs that need different seeds than the repository's."""
    shutil.copytree(PROJECT, dest, ignore=shutil.ignore_patterns(
        ".venv", ".git", "data", "target", "logs", "warehouse", "dbt_packages", "__pycache__", ".pytest_cache", "*.duckdb*"))
    return dest


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def table_hashes(db: Path, schema: str, exclude: tuple[str, ...] = ()) -> dict[str, str]:
    """md5 of every table/view in a schema: each row cast to text, rows sorted, concatenated.
    Order-independent, so two builds compare equal exactly when their contents do. A
    `loaded_at` column (incremental bookkeeping: the build's start) is left out."""
    with duckdb.connect(str(db), read_only=True) as con:
        names = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = ? order by 1", [schema]
        ).fetchall() if r[0] not in exclude]
        return {
            name: con.execute(
                f'select md5(coalesce(string_agg(t::varchar, chr(10) order by t::varchar), \'\')) '
                f'from (select columns(lambda c: c <> \'loaded_at\') from "{schema}"."{name}") as t'
            ).fetchone()[0]
            for name in names
        }


def model_grains(manifest_path: Path, schema: str = "marts") -> dict[str, list[str]]:
    """Each model's grain as its YAML declares it: the columns of its
    unique_combination_of_columns test, else its single `unique` column. Read from a run's
    manifest.json (written even when data tests are excluded)."""
    manifest = json.loads(manifest_path.read_text())
    models = {uid: node for uid, node in manifest["nodes"].items()
              if node["resource_type"] == "model" and node["schema"] == schema}
    combos: dict[str, list[str]] = {}
    singles: dict[str, list[str]] = {}
    for node in manifest["nodes"].values():
        meta = node.get("test_metadata") or {}
        model = models.get(node.get("attached_node") or "")
        if node["resource_type"] != "test" or model is None:
            continue
        kwargs = meta.get("kwargs") or {}
        if meta.get("name") == "unique_combination_of_columns":
            combos.setdefault(model["name"], list(kwargs["combination_of_columns"]))
        elif meta.get("name") == "unique" and kwargs.get("column_name"):
            singles.setdefault(model["name"], [kwargs["column_name"]])
    return {**singles, **combos}


def describe_differences(before: Path, after: Path, schema: str, table: str, grain: list[str] | None,
                         examples: int = 3) -> str:
    """What differs in one table between two warehouses, paired row by row on the grain: per
    column, how many rows changed and a few (grain, before, after) examples, plus rows found
    on one side only. Without a grain, only which columns' contents differ."""
    with duckdb.connect() as con:
        con.execute(f"attach '{before}' as before_db (read_only)")
        con.execute(f"attach '{after}' as after_db (read_only)")
        columns = [r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_catalog = 'before_db' "
            "and table_schema = ? and table_name = ? order by ordinal_position", [schema, table]).fetchall()]
        left, right = f'before_db."{schema}"."{table}"', f'after_db."{schema}"."{table}"'
        lines = [f"{schema}.{table}:"]
        if not grain:
            for column in columns:
                digest = (f'select md5(coalesce(string_agg(x::varchar, chr(10) order by x::varchar), \'\')) '
                          f'from (select "{column}" as x from {{}})')
                if con.execute(digest.format(left)).fetchone() != con.execute(digest.format(right)).fetchone():
                    lines.append(f"  column {column}: contents differ (no grain declared to pair rows)")
            return "\n".join(lines)
        key = " and ".join(f'b."{c}" is not distinct from a."{c}"' for c in grain)
        key_text = "concat_ws(' | ', " + ", ".join(f'coalesce(b."{c}", a."{c}")::varchar' for c in grain) + ")"
        only_before = con.execute(
            f"select count(*) from {left} as b where not exists (select 1 from {right} as a where {key})").fetchone()[0]
        only_after = con.execute(
            f"select count(*) from {right} as a where not exists (select 1 from {left} as b where {key})").fetchone()[0]
        if only_before or only_after:
            lines.append(f"  rows by grain {grain}: {only_before} only in the first build, {only_after} only in the second")
        for column in (c for c in columns if c not in grain):
            changed = con.execute(
                f'select {key_text}, b."{column}"::varchar, a."{column}"::varchar, count(*) over () '
                f"from {left} as b inner join {right} as a on {key} "
                f'where b."{column}" is distinct from a."{column}" order by 1 limit {examples}').fetchall()
            if changed:
                shown = "; ".join(f"[{k}] {b} -> {a}" for k, b, a, _ in changed)
                lines.append(f"  column {column}: {changed[0][3]} rows differ, e.g. {shown}")
        return "\n".join(lines)


def file_row_counts(exports: Path, encodings: dict[str, str] | None = None) -> dict[tuple[str, str], int]:
    """Rows per export table counted in Python (csv module, json lines), independently of
    staging's own counter, for the reconciliation check. encodings: file name (relative to
    the exports folder) -> Python codec, for files not in UTF-8. A missing source folder
    counts nothing."""
    # every table staging reconciles, 0 when the folder has no file for it (an optional export)
    counts: dict[tuple[str, str], int] = {(source, table): 0 for source in KNOWN_TABLES for table in KNOWN_TABLES[source]}
    for source in KNOWN_TABLES:
        if not (exports / source).is_dir():
            continue
        for path in sorted((exports / source).iterdir()):
            table = path.name.split(".")[0]
            table = next(t for t in KNOWN_TABLES[source] if table.startswith(t))
            if path.suffix == ".ndjson":
                rows = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
            else:
                codec = (encodings or {}).get(f"{source}/{path.name}", "utf-8-sig")
                with path.open(newline="", encoding=codec) as handle:
                    rows = max(sum(1 for row in csv.reader(handle) if row) - 1, 0)
            counts[(source, table)] = counts.get((source, table), 0) + rows
    return counts


KNOWN_TABLES = {
    # The export tables of a brand on the default helpdesk (Gorgias; a Zendesk brand's are in
    # macro helpdesk_export_tables). Longest names first: `tickets` must not claim `ticket_events*` files.
    "gorgias": ("ticket_events", "tickets", "messages", "satisfaction_surveys"),
    "shopify": ("orders",),
    "shipping": ("fulfillments", "tracking_events", "notifications"),
    "returns": ("return_requests",),
    "nps": ("responses",),
    "time_tracking": ("ticket_time_entries",),
    "finance": ("support_costs",),
}


# ---------------------------------------------------------------- the clean baseline

_BASELINE: dict[str, object] = {}


def clean_baseline(tmp_path_factory) -> dict[str, object]:
    """data/sample built once per pytest session (both suite modules share it): the whole
    project, no data tests. Returns the run and the hashes of its marts and staging models."""
    if not _BASELINE:
        workdir = tmp_path_factory.mktemp("clean")
        exports = copy_sample(workdir / "exports")
        run = dbt(["build", *NO_TESTS], workdir / "dbt", exports)
        assert run.returncode == 0, run.output[-3000:]
        _BASELINE.update(
            run=run, exports=exports, workdir=workdir / "dbt",
            marts=kpi_mart_hashes(run.db),
            staging=staging_hashes(run.db),
        )
    return _BASELINE


# Audit models carry file names and counts, which legitimately differ between folders.
AUDIT_MODELS = ("stg_rejected_rows", "stg_row_reconciliation", "stg_duplicate_conflicts")
# The marts' own audit: counts what was set aside, so it differs whenever bad rows are added.
AUDIT_MARTS = ("data_quality_summary",)
# when each export row was loaded (incremental bookkeeping): differs between any two builds
LOAD_BOOKKEEPING_MODELS = ("stg_gorgias__ticket_loads",)


def kpi_mart_hashes(db: Path) -> dict[str, str]:
    """Hashes of the KPI marts: every table in marts but the data-quality audit."""
    return table_hashes(db, "marts", exclude=AUDIT_MARTS)


def staging_hashes(db: Path) -> dict[str, str]:
    """Hashes of the staging outputs (stg_*), without the audits. base_* tables are left out:
    they carry source_file paths, which differ between export folders by design; so does the
    load bookkeeping (loaded_at is the build's start)."""
    return {name: digest
            for name, digest in table_hashes(db, "staging", exclude=AUDIT_MODELS + LOAD_BOOKKEEPING_MODELS).items()
            if name.startswith("stg_")}


# stg_export_files describes each export file (its path, encoding, header): an audit too.
AUDIT_MODELS = (*AUDIT_MODELS, "stg_export_files")


def table_columns(db: Path, schema: str) -> dict[str, list[str]]:
    """Each table's columns in a schema (in table order), to hash the same columns of a later build."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select table_name, column_name from information_schema.columns where table_schema = ? "
            "order by table_name, ordinal_position", [schema]
        ).fetchall()
    columns: dict[str, list[str]] = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    return columns


def column_set_hashes(db: Path, schema: str, columns: dict[str, list[str]],
                      where: dict[str, str] | None = None) -> dict[str, str]:
    """table_hashes over only the given columns of each table (loaded_at left out as there), so
    a build that adds columns can be compared with one from before: equal hashes = every old
    column has the same values on the same rows. A table or column gone gives 'missing'.
    `where` (table -> SQL condition) keeps only the rows a build had before, for a table that
    gains rows (e.g. a new metric's rows)."""
    present = table_columns(db, schema)
    hashes: dict[str, str] = {}
    with duckdb.connect(str(db), read_only=True) as con:
        for table, wanted in columns.items():
            kept = [c for c in wanted if c != "loaded_at"]
            if table not in present or not set(kept) <= set(present[table]):
                hashes[table] = "missing"
                continue
            selected = ", ".join(f'"{c}"' for c in kept)
            condition = (where or {}).get(table, "true")
            hashes[table] = con.execute(
                f"select md5(coalesce(string_agg(t::varchar, chr(10) order by t::varchar), '')) "
                f'from (select {selected} from "{schema}"."{table}" where {condition}) as t'
            ).fetchone()[0]
    return hashes


def query_hash(db: Path, sql: str) -> str:
    """md5 of a query's rows, as table_hashes computes a table's."""
    return query(db, f"select md5(coalesce(string_agg(t::varchar, chr(10) order by t::varchar), '')) "
                     f"from ({sql}) as t")[0][0]


def staging_differences(db: Path, baseline: dict[str, object], rehashed: dict[str, str] | None = None) -> list[str]:
    """The stg_* models of `db` whose rows differ from the clean build's (clean_baseline's
    `baseline`). `rehashed`: model -> query over it (e.g. a column or rows the mutation changes
    on purpose left out), hashed that way in both builds instead of whole."""
    hashes, clean = staging_hashes(db), dict(baseline["staging"])
    for name, sql in (rehashed or {}).items():
        hashes[name], clean[name] = query_hash(db, sql), query_hash(baseline["run"].db, sql)
    return sorted(name for name, digest in hashes.items() if clean.get(name) != digest)


# ---------------------------------------------------------------- a Zendesk brand
# The hand-written Zendesk export (tests/fixtures/zendesk_minimal, Support API shapes) as the
# helpdesk of a copy of the sample: the suites on Zendesk staging build on it.
ZENDESK_FIXTURE = REPO / "tests" / "fixtures" / "zendesk_minimal"
ZENDESK_VARS = {
    "helpdesk": "zendesk",
    "zendesk_contact_reason_field_id": 360001,
    "zendesk_order_number_field_id": 360002,
}


def zendesk_exports(dest: Path) -> Path:
    """The sample's exports with the Zendesk fixture as the helpdesk."""
    exports = copy_sample(dest)
    shutil.rmtree(exports / "gorgias")
    shutil.copytree(ZENDESK_FIXTURE / "zendesk", exports / "zendesk")
    shutil.rmtree(exports / "time_tracking")
    shutil.copytree(ZENDESK_FIXTURE / "time_tracking", exports / "time_tracking")
    for path in sorted((exports / "returns").glob("*.csv")):
        header, rows = read_csv_rows(path)
        column = header.index("helpdesk_ticket_id")
        for index, row in enumerate(rows):
            row[column] = "1001" if path.name == "return_requests.csv" and index == 0 else ""
        path.write_text(csv_text([header, *rows]), encoding="utf-8")
    return exports
