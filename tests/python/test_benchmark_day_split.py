"""The benchmark's history + one-day split of a generated export folder, in both formats.

Fixture: ``python -m support_kpis generate --tickets 300`` (native and parquet, same seed),
with planted rows: a message, a fulfillment and an NPS response exactly at the cutoff
(naive New York time, ``Z``, epoch) and one each a second before it (``+02:00``, ``Z``,
epoch), and two Shopify orders whose lines disagree about the side of the cutoff (the
first line decides). Expected timestamps are worked out by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa
import pytest

from support_kpis.benchmark.day_split import (
    DAY_SUFFIX,
    SPLIT_TABLES,
    csv_records,
    find_cutoff,
    link_tree,
    load_split,
    split_exports,
    table_files,
    utc_seconds,
    utc_sql,
)

UTC = dt.timezone.utc

# (text, the instant by hand as UTC, or None)
TIMESTAMPS = [
    ("2025-01-01T05:00:46.000000+00:00", dt.datetime(2025, 1, 1, 5, 0, 46, tzinfo=UTC)),
    ("2025-06-18T02:08:42Z", dt.datetime(2025, 6, 18, 2, 8, 42, tzinfo=UTC)),
    ("2025-01-01T23:18:46+02:00", dt.datetime(2025, 1, 1, 21, 18, 46, tzinfo=UTC)),
    ("2024-12-02 00:04:26 -0500", dt.datetime(2024, 12, 2, 5, 4, 26, tzinfo=UTC)),
    ("2024-12-02 18:01:29 +0100", dt.datetime(2024, 12, 2, 17, 1, 29, tzinfo=UTC)),
    ("2025-01-01 14:23:19", dt.datetime(2025, 1, 1, 19, 23, 19, tzinfo=UTC)),  # naive New York, EST (-5)
    ("2025-07-01T10:00:00", dt.datetime(2025, 7, 1, 14, 0, 0, tzinfo=UTC)),  # naive New York, EDT (-4)
    ("1735711140", dt.datetime(2025, 1, 1, 5, 59, tzinfo=UTC)),  # NPS epoch seconds
    (" 2025-12-31T19:00:00-05:00 ", dt.datetime(2026, 1, 1, 0, 0, tzinfo=UTC)),
    ("", None),
    ("not a date", None),
    ("yesterday", None),
    ("31/02/2025 25:61", None),
    ("2025-13-45T10:00:00Z", None),
]


@pytest.mark.parametrize(("text", "expected"), TIMESTAMPS)
def test_timestamp_rule_in_python_and_in_sql(text, expected):
    want = None if expected is None else expected.timestamp()
    assert utc_seconds(text) == want
    con = duckdb.connect()
    con.execute("set timezone = 'UTC'")
    got = con.execute(f"select epoch({utc_sql('v')}) from (select cast(? as varchar) as v)", [text]).fetchone()[0]
    assert got == want


def test_csv_records_keep_quoted_newlines_and_bytes():
    text = 'a,b\r\n"x\ny",1\r\n"he said ""hi""",2\n3,4'
    records = list(csv_records(iter(text.splitlines(keepends=True))))
    assert records == ["a,b\r\n", '"x\ny",1\r\n', '"he said ""hi""",2\n', "3,4"]


# ---------------------------------------------------------------- the generated fixture
def _generate(out: Path, fmt: str) -> None:
    subprocess.run([sys.executable, "-m", "support_kpis", "generate", "--tickets", "300", "--seed", "11",
                    "--out", str(out), "--format", fmt], check=True, capture_output=True)


def _edit_rows(cache: Path, fmt: str, folder: str, table: str, edit) -> None:
    """Rewrite <folder>/<table>.<ext> after ``edit(rows)`` changed its rows (dicts of text) in place."""
    ext = "parquet" if fmt == "parquet" else ("ndjson" if folder == "gorgias" else "csv")
    path = cache / folder / f"{table}.{ext}"
    if ext == "parquet":
        arrow = duckdb.sql(f"select * from read_parquet('{path}')").to_arrow_table()
        rows = arrow.to_pylist()
        edit(rows)
        con = duckdb.connect()
        con.register("t", pa.Table.from_pylist(rows, schema=arrow.schema))
        con.execute(f"copy (select * from t) to '{path}' (format parquet)")
    elif ext == "ndjson":
        rows = [json.loads(line) for line in path.read_text().splitlines()]
        edit(rows)
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    else:
        with path.open(newline="") as f:
            rows = list(csv.DictReader(f))
        edit(rows)
        with path.open("w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)


def _plant(cache: Path, fmt: str, cutoff: dt.datetime) -> dict:
    """Rows on both sides of the cutoff, in several timestamp forms, and two Shopify orders whose
    lines disagree (A: first line after the cutoff, the others before; B: the other way round).
    Returns {(folder, id column, id): expected side} and the two order names."""
    just_before = cutoff - dt.timedelta(seconds=1)
    new_york = cutoff.astimezone(ZoneInfo("America/New_York")).replace(tzinfo=None)
    planted: dict = {}

    def set_time(folder, id_column, column, values):
        def edit(rows):
            for row, (value, side) in zip(rows, values):
                row[column] = value
                planted[(folder, id_column, str(row[id_column]))] = side
        return edit

    _edit_rows(cache, fmt, "gorgias", "messages", set_time("gorgias", "id", "created_datetime", [
        (new_york.strftime("%Y-%m-%d %H:%M:%S"), "day"),  # naive New York time = the cutoff
        ((just_before + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S+02:00"), "history"),
    ]))
    _edit_rows(cache, fmt, "shipping", "fulfillments", set_time("shipping", "fulfillment_id", "updated_at", [
        (cutoff.strftime("%Y-%m-%dT%H:%M:%SZ"), "day"),
        (just_before.strftime("%Y-%m-%dT%H:%M:%SZ"), "history"),
    ]))
    _edit_rows(cache, fmt, "nps", "responses", set_time("nps", "response_id", "created_at", [
        (str(int(cutoff.timestamp())), "day"),
        (str(int(just_before.timestamp())), "history"),
    ]))

    after = (cutoff + dt.timedelta(hours=3)).strftime("%Y-%m-%d %H:%M:%S +0000")
    before = (cutoff - dt.timedelta(hours=3)).strftime("%Y-%m-%d %H:%M:%S +0000")
    orders: list[str] = []

    def edit_orders(rows):
        names = [r["Name"] for r in rows]
        orders.extend([n for n in dict.fromkeys(names) if names.count(n) >= 2][:2])
        seen: set[str] = set()
        for row in rows:
            first = row["Name"] not in seen
            seen.add(row["Name"])
            if row["Name"] == orders[0]:
                row["Created at"] = after if first else before
            elif row["Name"] == orders[1]:
                row["Created at"] = before if first else after

    _edit_rows(cache, fmt, "shopify", "orders", edit_orders)
    return {"rows": planted, "orders": tuple(orders)}


def _rows(path: Path, fmt: str) -> list[tuple]:
    """Every row of a file as a tuple of text (NDJSON: the raw line), in file order."""
    if fmt == "parquet":
        return duckdb.sql(f"select * from read_parquet('{path}')").fetchall()
    with path.open(newline="", encoding="utf-8") as f:
        if path.suffix == ".ndjson":
            return [(line,) for line in f]
        return [tuple(r) for r in csv.reader(f)][1:]


def _column(path: Path, fmt: str, column: str) -> list:
    if fmt == "parquet":
        return [r[0] for r in duckdb.sql(f"""select "{column}" from read_parquet('{path}')""").fetchall()]
    with path.open(newline="", encoding="utf-8") as f:
        if path.suffix == ".ndjson":
            return [json.loads(line).get(column) for line in f]
        return [r[column] for r in csv.DictReader(f)]


@pytest.fixture(scope="module", params=["native", "parquet"])
def split(request, tmp_path_factory):
    fmt = request.param
    cache = tmp_path_factory.mktemp(fmt) / "300-11"
    _generate(cache, fmt)
    cutoff = dt.datetime.fromtimestamp(find_cutoff(cache, fmt), UTC)
    planted = _plant(cache, fmt, cutoff)
    info = split_exports(cache, fmt)
    return fmt, cache, cache.with_name("300-11.split"), info, planted


def test_cutoff_is_the_start_of_the_last_local_day_with_a_ticket_row(split):
    # The brand's day: midnight in the export timezone (America/New_York), given in UTC.
    fmt, cache, _, info, _ = split
    latest = max(s for f in table_files(cache, SPLIT_TABLES[0], fmt)
                 for s in map(utc_seconds, _column(f, fmt, "updated_datetime")) if s is not None)
    new_york = ZoneInfo("America/New_York")
    day = dt.datetime.fromtimestamp(latest, new_york).date()
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=new_york).astimezone(UTC)
    assert info["cutoff"] == midnight.isoformat()


def test_rows_are_kept_once_on_the_right_side_of_the_cutoff(split):
    fmt, cache, out, info, _ = split
    cutoff = info["cutoff_epoch"]
    day_rows_total = 0
    for table in SPLIT_TABLES:
        for source in table_files(cache, table, fmt):
            rel = source.relative_to(cache)
            history = out / "history" / rel
            day = out / "day" / table.folder / f"{source.stem}{DAY_SUFFIX}{source.suffix}"
            original = _rows(source, fmt)
            kept = _rows(history, fmt) + (_rows(day, fmt) if day.exists() else [])
            assert sorted(kept, key=repr) == sorted(original, key=repr), rel
            assert info["files"][str(rel)]["day_rows"] == (len(_rows(day, fmt)) if day.exists() else 0)
            if table.group_column:
                continue  # order lines follow their first line: test below
            for value in _column(history, fmt, table.time_column):
                seconds = utc_seconds(value)
                assert seconds is None or seconds < cutoff, (rel, value)
            if day.exists():
                day_rows_total += len(_rows(day, fmt))
                for value in _column(day, fmt, table.time_column):
                    assert utc_seconds(value) >= cutoff, (rel, value)
    assert day_rows_total > 0  # the fixture has a day to test


def test_rows_at_the_cutoff_go_to_the_day_and_a_second_before_to_the_history(split):
    fmt, _, out, _, planted = split
    ext = {"gorgias": "ndjson"} if fmt == "native" else {}
    tables = {"gorgias": "messages", "shipping": "fulfillments", "nps": "responses"}
    found = {}
    for folder, table in tables.items():
        e = "parquet" if fmt == "parquet" else ext.get(folder, "csv")
        for side, path in (("history", out / "history" / folder / f"{table}.{e}"),
                           ("day", out / "day" / folder / f"{table}{DAY_SUFFIX}.{e}")):
            id_column = next(c for f, c, _ in planted["rows"] if f == folder)
            for value in _column(path, fmt, id_column):
                found[(folder, id_column, str(value))] = side
    assert {key: found.get(key) for key in planted["rows"]} == planted["rows"]


def test_untouched_files_are_symlinks_and_split_files_are_not(split):
    fmt, cache, out, info, _ = split
    for rel, counts in info["files"].items():
        history = out / "history" / rel
        assert history.is_symlink() == (counts["day_rows"] == 0), rel
        if history.is_symlink():
            assert history.resolve() == (cache / rel).resolve()
    assert {rel for rel, c in info["files"].items() if c["day_rows"]} >= {
        f"gorgias/tickets.{'parquet' if fmt == 'parquet' else 'ndjson'}"}
    ledger = out / "history" / "finance" / f"support_costs.{'parquet' if fmt == 'parquet' else 'csv'}"
    assert ledger.is_symlink() and ledger.resolve() == (cache / ledger.relative_to(out / "history")).resolve()
    assert (out / "history" / "_manifest.json").is_symlink()


def test_an_order_follows_its_first_line(split):
    fmt, cache, out, _, planted = split
    after_order, before_order = planted["orders"]
    ext = "parquet" if fmt == "parquet" else "csv"
    history = _column(out / "history" / "shopify" / f"orders.{ext}", fmt, "Name")
    day_file = out / "day" / "shopify" / f"orders{DAY_SUFFIX}.{ext}"
    day = _column(day_file, fmt, "Name")
    original = _column(cache / "shopify" / f"orders.{ext}", fmt, "Name")
    assert day.count(after_order) == original.count(after_order) >= 2 and after_order not in history
    assert history.count(before_order) == original.count(before_order) >= 2 and before_order not in day
    assert not set(history) & set(day)


def test_native_files_are_copied_byte_for_byte(split):
    fmt, cache, out, info, _ = split
    if fmt != "native":
        pytest.skip("native only")
    for rel, counts in info["files"].items():
        if not counts["day_rows"]:
            continue
        original = (cache / rel).read_bytes().splitlines(keepends=True)
        history = (out / "history" / rel).read_bytes().splitlines(keepends=True)
        day = (out / "day" / counts["day_file"]).read_bytes().splitlines(keepends=True)
        if rel.endswith(".csv"):  # the header goes to both files
            assert history[0] == day[0] == original[0]
            day = day[1:]
        assert sorted(history + day) == sorted(original), rel


def test_parquet_keeps_the_schema(split):
    fmt, cache, out, info, _ = split
    if fmt != "parquet":
        pytest.skip("parquet only")
    for rel, counts in info["files"].items():
        if counts["day_rows"]:
            schema = duckdb.sql(f"describe select * from read_parquet('{cache / rel}')").fetchall()
            for part in (out / "history" / rel, out / "day" / counts["day_file"]):
                assert duckdb.sql(f"describe select * from read_parquet('{part}')").fetchall() == schema, part


def test_the_split_is_reused_until_the_cache_changes(split, tmp_path):
    fmt, cache, out, info, _ = split
    assert load_split(cache) == info
    exports = tmp_path / "exports"
    assert link_tree(out / "history", exports) == sum(1 for p in (out / "history").rglob("*") if p.is_file())
    assert (exports / "gorgias").is_dir() and (exports / "gorgias").is_symlink() is False
    text = (cache / "_manifest.json").read_text()
    try:
        (cache / "_manifest.json").write_text(json.dumps({**json.loads(text), "regenerated": True}))
        assert load_split(cache) is None
    finally:
        (cache / "_manifest.json").write_text(text)
