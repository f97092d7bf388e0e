"""Incremental daily builds give the same warehouse as a full rebuild.

Fixture (built from data/sample in a temp folder):
  - history: the sample with the helpdesk tables, time entries, return requests and the
    shipping tables cut at CUTOFF (rows dated on or after it are held back; re-export files and the other
    tables stay whole, so those tables get no new file and take the "nothing new" path);
  - day: the held-back rows as `<table>_2025-12-31.<ext>` files, plus re-sent updates of
    old rows: a closed ticket reopened (ticket re-sent open, a reopen event and a customer
    message), an unanswered CSAT survey answered late, a received return refunded late.
Because tickets are cut by update time and messages by creation time, some history
messages and events belong to tickets that only arrive with the day: history rejects
them as "unknown ticket" and the incremental run must take them back.

Warehouse A: history built from scratch, then the day files added beside the history
files and an incremental run (staging built and tested first, then the rest). Warehouse B: `dbt run --full-refresh` of the same
folder. Every table (base, intermediate tables, marts) must have the same rows.

as_of_at is not pinned: "now" moves with the new day's events, as in a real morning run, so
the rows that age with it (SLA clocks, open repeat windows, backlog days, undelivered
orders) must be rebuilt too; the "only touched tickets changed" check leaves out the
columns that move with it.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
PROJECT = Path(os.environ.get("SUPPORT_KPIS_PROJECT_DIR", REPO))
SAMPLE = REPO / "data" / "sample"
CUTOFF = "2025-12-29T00:00:00"
DAY_SUFFIX = "_2025-12-31"
LATE = "2025-12-30T10:00:00.000000+00:00"

# (folder, file, timestamp column that decides history vs day)
SPLIT = [
    ("gorgias", "tickets.ndjson", "updated_datetime"),
    ("gorgias", "messages.ndjson", "created_datetime"),
    ("gorgias", "ticket_events.ndjson", "created_datetime"),
    ("gorgias", "satisfaction_surveys.ndjson", "created_datetime"),
    ("time_tracking", "ticket_time_entries.csv", "started_at"),
    ("returns", "return_requests.csv", "updated_at"),
    # shipping: new fulfillments, checkpoints and notifications of old and new orders
    # (int_order_rebuild_set ties them to their orders by id, number or tracking number)
    ("shipping", "fulfillments.csv", "updated_at"),
    ("shipping", "tracking_events.csv", "checkpoint_at"),
    ("shipping", "notifications.csv", "sent_at"),
]
# tickets mart columns that depend on other tickets (repeat contacts of the customer's
# issue, the month's cost pool shared by every handled ticket): a new ticket may change
# them on untouched tickets, so the "only touched tickets changed" check leaves them out.
CROSS_TICKET_COLUMNS = [
    "issue_id", "issue_ticket_sequence", "is_repeat_contact", "has_repeat_within_window", "is_fcr",
    "cost_month_start", "cost_currency", "allocated_cost", "allocated_cost_reporting",
    # the order link moves when an order the ticket names, or its customer's, arrives
    "order_id", "order_number", "order_link_source",
    # ... and the columns that move with the as-of time on every ticket still waiting
    "as_of_at", "is_repeat_window_open", "first_response_sla_outcome", "first_response_sla_elapsed_minutes",
    "resolution_sla_outcome", "resolution_sla_elapsed_minutes",
]

pytestmark = pytest.mark.dbt_build


def _read(path: Path) -> tuple[list[str] | None, list[dict]]:
    if path.suffix == ".ndjson":
        return None, [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str] | None, rows: list[dict]) -> None:
    if header is None:
        path.write_text("".join(json.dumps(row) + "\n" for row in rows))
        return
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def _make_exports(root: Path) -> tuple[Path, Path, dict]:
    """history/ and day/ folders; returns the hand-picked updates for the checks."""
    history, day = root / "history", root / "day"
    shutil.copytree(SAMPLE, history, ignore=shutil.ignore_patterns("_*"))
    day_rows: dict[tuple[str, str], tuple[list[str] | None, list[dict]]] = {}
    kept: dict[tuple[str, str], list[dict]] = {}
    for folder, name, column in SPLIT:
        header, rows = _read(history / folder / name)
        kept[(folder, name)] = [r for r in rows if (r[column] or "")[:19] < CUTOFF]
        day_rows[(folder, name)] = (header, [r for r in rows if (r[column] or "")[:19] >= CUTOFF])
        _write(history / folder / name, header, kept[(folder, name)])
    # Shopify orders: an order's lines stay together, on the day of its first line's
    # "Created at" (local time with offset, "2025-12-29 10:00:00 -0500").
    header, rows = _read(history / "shopify" / "orders.csv")
    created_by_order: dict[str, str] = {}
    for r in rows:
        created_by_order.setdefault(r["Name"], r["Created at"].replace(" ", "T", 1)[:19])
    is_day = [created_by_order[r["Name"]] >= CUTOFF for r in rows]
    _write(history / "shopify" / "orders.csv", header, [r for r, d in zip(rows, is_day) if not d])
    day_rows[("shopify", "orders.csv")] = (header, [r for r, d in zip(rows, is_day) if d])
    assert day_rows[("shopify", "orders.csv")][1], "the sample has no orders on the day"

    # Re-sent updates of rows that stay in history.
    tickets = kept[("gorgias", "tickets.ndjson")]
    reopened = next(
        t for t in tickets
        if t["status"] == "closed" and not t["spam"] and t["merged_into_ticket_id"] is None
        and t["created_datetime"] < "2025-06"
    )
    day_rows[("gorgias", "tickets.ndjson")][1].append(
        {**reopened, "status": "open", "closed_datetime": None, "updated_datetime": LATE}
    )
    day_rows[("gorgias", "ticket_events.ndjson")][1].append(
        {"id": 999000001, "object_id": reopened["id"], "type": "ticket-reopened", "user_id": None,
         "created_datetime": LATE}
    )
    first_message = next(m for m in kept[("gorgias", "messages.ndjson")] if m["ticket_id"] == reopened["id"])
    day_rows[("gorgias", "messages.ndjson")][1].append(
        {**first_message, "id": 399000001, "body_text": "It broke again.",
         "created_datetime": "2025-12-30T09:59:00.000000+00:00", "sent_datetime": None}
    )
    kept_ticket_ids = {t["id"] for t in tickets}
    survey = next(
        s for s in kept[("gorgias", "satisfaction_surveys.ndjson")]
        if s["score"] is None and s["ticket_id"] in kept_ticket_ids and s["ticket_id"] != reopened["id"]
    )
    day_rows[("gorgias", "satisfaction_surveys.ndjson")][1].append(
        {**survey, "score": 2, "body_text": "Slow.", "scored_datetime": LATE}
    )
    refund = next(r for r in kept[("returns", "return_requests.csv")] if r["status"] in ("received", "approved"))
    day_rows[("returns", "return_requests.csv")][1].append(
        {**refund, "status": "refunded", "refunded_at": "2025-12-30T15:00:00Z", "updated_at": "2025-12-30T15:00:00Z"}
    )

    for (folder, name), (header, rows) in day_rows.items():
        stem, ext = name.split(".", 1)
        (day / folder).mkdir(parents=True, exist_ok=True)
        _write(day / folder / f"{stem}{DAY_SUFFIX}.{ext}", header, rows)

    touched = set()
    for (folder, name), (header, rows) in day_rows.items():
        if folder == "gorgias":
            key = {"tickets.ndjson": "id", "ticket_events.ndjson": "object_id"}.get(name, "ticket_id")
            touched |= {int(r[key]) for r in rows if r[key] is not None}
        elif folder == "time_tracking":
            touched |= {int(r["ticket_id"]) for r in rows if r["ticket_id"].isdigit()}
    new_ticket_ids = {int(t["id"]) for t in day_rows[("gorgias", "tickets.ndjson")][1]} - {
        int(t["id"]) for t in tickets
    }
    picks = {
        "reopened": int(reopened["id"]),
        "survey_id": int(survey["id"]),
        "return_id": refund["return_id"],
        "touched": touched,
        "new_ticket_ids": new_ticket_ids,
    }
    return history, day, picks


def _dbt(args: list[str], db: Path, exports: Path, extra_vars: dict | None = None) -> None:
    work = db.parent
    (work / "tmp").mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "SUPPORT_KPIS_DB": str(db),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
        "SUPPORT_KPIS_TEMP_DIR": str(work / "tmp"),
        "DBT_PROFILES_DIR": str(PROJECT),
    }
    cmd = [sys.executable, "-m", "dbt.cli.main", *args, "--project-dir", str(PROJECT),
           "--vars", json.dumps({"exports_path": str(exports), **(extra_vars or {})})]
    result = subprocess.run(cmd, env=env, cwd=PROJECT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]


# Bookkeeping of the incremental machinery, different by design between the two builds:
# when each row was loaded (or its cost month split), which tickets this run rebuilt, each
# model's watermark.
RUN_BOOKKEEPING_TABLES = {
    "intermediate.int_ticket_rebuild_set", "intermediate.int_order_rebuild_set", "intermediate.incremental_build_state",
}
RUN_BOOKKEEPING_COLUMNS = {"loaded_at", "allocated_at"}


def _table_hashes(db: Path) -> dict[str, tuple[int, int]]:
    """Row count and order-free content hash of every table dbt built (not the seeds)."""
    with duckdb.connect(str(db), read_only=True) as con:
        columns: dict[str, list[str]] = {}
        for schema, table, column in con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_schema in ('staging', 'intermediate', 'marts') "
            "and (table_schema, table_name) in (select (table_schema, table_name) from information_schema.tables "
            "where table_type = 'BASE TABLE') order by ordinal_position"
        ).fetchall():
            if f"{schema}.{table}" not in RUN_BOOKKEEPING_TABLES and column not in RUN_BOOKKEEPING_COLUMNS:
                columns.setdefault(f'"{schema}"."{table}"', []).append(f'"{column}"')
        return {
            name.replace('"', ""): con.execute(
                f"select count(*), coalesce(sum(hash(({', '.join(kept)}))), 0) from {name}"
            ).fetchone()
            for name, kept in columns.items()
        }


def _ticket_rows(db: Path) -> dict[int, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute(
            f"select ticket_id, hash(t) from (select * exclude ({', '.join(CROSS_TICKET_COLUMNS)}) "
            "from marts.tickets) as t"
        ).fetchall())


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    if not SAMPLE.exists():
        pytest.skip("data/sample has not been generated")
    root = tmp_path_factory.mktemp("incremental")
    history, day, picks = _make_exports(root)
    exports = root / "exports"
    shutil.copytree(history, exports)

    incremental_db = root / "a" / "wh.duckdb"
    _dbt(["seed"], incremental_db, exports)
    _dbt(["run", "--full-refresh"], incremental_db, exports)
    with duckdb.connect(str(incremental_db), read_only=True) as con:
        history_unknown = con.execute(
            "select count(*) from staging.base_gorgias__messages where rejection_reason like '%unknown ticket%'"
        ).fetchone()[0]
    before = _ticket_rows(incremental_db)

    for path in day.rglob("*.*"):
        shutil.copy(path, exports / path.relative_to(day))
    # Staging with its tests first: a broken recompute leaves two current rows per id, which
    # the stg grain tests stop here instead of letting every mart fan out.
    _dbt(["build", "--select", "path:models/staging"], incremental_db, exports)
    _dbt(["run", "--exclude", "path:models/staging"], incremental_db, exports)

    full_db = root / "b" / "wh.duckdb"
    _dbt(["seed"], full_db, exports)
    _dbt(["run", "--full-refresh"], full_db, exports)
    return {
        "incremental_db": incremental_db, "full_db": full_db, "picks": picks, "exports": exports,
        "before": before, "history_unknown": history_unknown,
    }


def test_incremental_equals_full_rebuild(builds):
    incremental = _table_hashes(builds["incremental_db"])
    full = _table_hashes(builds["full_db"])
    assert set(incremental) == set(full)
    assert any(name.startswith("marts.") for name in full)
    different = {name: (incremental[name], full[name]) for name in full if incremental[name] != full[name]}
    assert different == {}


# A re-run "as of" an earlier time than the last build's (the as_of_at var set back).
AS_OF_SET_BACK = "2025-12-30 06:00:00"


def test_as_of_set_back_rebuilds_what_had_settled(builds, tmp_path):
    """An incremental run with the as-of time set earlier than the last build's must give
    what a full build at that time gives: rows that had settled by the later time (an SLA
    breached, an order late, a clock stopped) are rebuilt too (macro as_of_moved_back)."""
    as_of = {"as_of_at": AS_OF_SET_BACK}
    incremental_db = tmp_path / "a" / "wh.duckdb"
    incremental_db.parent.mkdir()
    shutil.copy(builds["incremental_db"], incremental_db)
    _dbt(["run", "--exclude", "path:models/staging"], incremental_db, builds["exports"], as_of)
    full_db = tmp_path / "b" / "wh.duckdb"
    _dbt(["seed"], full_db, builds["exports"])
    _dbt(["run", "--full-refresh"], full_db, builds["exports"], as_of)

    incremental, full = _table_hashes(incremental_db), _table_hashes(full_db)
    # the set-back time must change something, or this test shows nothing
    assert incremental["marts.tickets"] != _table_hashes(builds["incremental_db"])["marts.tickets"]
    different = {name: (incremental[name], full[name]) for name in full if incremental[name] != full[name]}
    assert different == {}


def test_fixture_exercises_the_rechecks(builds):
    # History alone rejects messages whose ticket only arrives with the day ...
    assert builds["history_unknown"] > 0
    # ... and after the day every one of them is accepted again, as in the full build.
    with duckdb.connect(str(builds["incremental_db"]), read_only=True) as con:
        assert con.execute(
            "select count(*) from staging.base_gorgias__messages where rejection_reason like '%unknown ticket%'"
        ).fetchone()[0] < builds["history_unknown"]


def test_late_updates_land(builds):
    picks = builds["picks"]
    with duckdb.connect(str(builds["incremental_db"]), read_only=True) as con:
        status, reopens = con.execute(
            "select status, reopen_count from marts.tickets where ticket_id = ?", [picks["reopened"]]
        ).fetchone()
        assert (status, reopens >= 1) == ("open", True)
        # The old closed copy is superseded by the re-sent open one: one usable row.
        assert con.execute(
            "select count(*) filter (where not is_superseded and rejection_reason is null), count(*) "
            "from staging.base_gorgias__tickets where ticket_id = ?", [picks["reopened"]]
        ).fetchone() == (1, 2)
        assert con.execute(
            "select score from staging.stg_gorgias__satisfaction_surveys where survey_id = ?",
            [picks["survey_id"]],
        ).fetchone() == (2,)
        assert con.execute(
            "select status from staging.stg_returns__return_requests where return_id = ?",
            [picks["return_id"]],
        ).fetchone() == ("refunded",)


def test_only_touched_tickets_change(builds):
    picks = builds["picks"]
    before, after = builds["before"], _ticket_rows(builds["incremental_db"])
    changed = {tid for tid, row in after.items() if before.get(tid) != row}
    assert set(before) <= set(after)
    assert picks["reopened"] in changed
    assert picks["new_ticket_ids"] and picks["new_ticket_ids"] <= set(after)
    # Every changed row is a ticket the day's files mention (merges can point a day row at
    # its surviving ticket, which is also in the files).
    assert changed - picks["touched"] == set()
