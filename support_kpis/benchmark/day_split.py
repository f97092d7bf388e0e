"""Split a cached export folder into history + one new day: ``python -m support_kpis.benchmark.day_split``.

The benchmark's incremental step builds the history from scratch, then adds the day's files
beside it and runs dbt again. The split is made once per cache, next to it
(``bench/cache/<name>.split/``), without copying the whole cache:

- ``history/<folder>/<file>``: a relative symlink to the cached file when none of its rows is at
  or after the cutoff (and for every file that is not in ``SPLIT_TABLES``: finance ledger,
  ``_truth``, the manifest); otherwise a new file of the same name and format holding the rows
  before the cutoff;
- ``day/<folder>/<stem>_day.<ext>``: the rows at or after the cutoff, for the files that have any;
- ``_split.json``: the cutoff, the rows of every split file on each side, and the hash of the
  cache's ``_manifest.json`` (a regenerated cache is split again). Written last: a folder
  without it is unfinished and is rebuilt.

Cutoff: local midnight (export timezone) starting the last calendar day on which a ticket
row's ``updated_datetime`` falls. A row goes to the day when its timestamp column, read as an
instant in UTC, is at or after the cutoff. Rows whose timestamp is empty or unparseable stay
in the history (staging rejects them in either build). Shopify order lines follow their
order's first line (same ``Name`` in the same file), so an order never straddles.

Timestamps come as ISO 8601 with ``Z`` or an offset, Shopify style (``... -0500``), naive local
time in the export timezone, or Unix epoch seconds (docs/export_contract.md). The rule exists
twice, in Python (``utc_seconds``, for streaming native NDJSON/CSV line by line, byte for byte)
and in SQL (``utc_sql``, for Parquet through DuckDB, which keeps the files' schema);
tests/python/test_benchmark_day_split.py checks that both agree on every form. The cutoff is
a UTC midnight, i.e. 19:00 or 20:00 in New York, never inside a DST fold, so the ambiguity of
naive local times at a clock change cannot move a row across it.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

EXPORT_TIMEZONE = "America/New_York"  # dbt var export_timezone's default
SPLIT_MARKER = "_split.json"
DAY_SUFFIX = "_day"
TEXT = {"encoding": "utf-8", "errors": "surrogateescape", "newline": ""}  # byte-for-byte round trip


@dataclass(frozen=True)
class SplitTable:
    folder: str
    table: str  # files: <folder>/<table>*.<ext>
    time_column: str  # decides history vs day
    group_column: str | None = None  # rows sharing it in one file follow the group's first row


# The one list of tables split by time. Tickets come first: they set the cutoff.
SPLIT_TABLES: tuple[SplitTable, ...] = (
    SplitTable("gorgias", "tickets", "updated_datetime"),
    SplitTable("gorgias", "messages", "created_datetime"),
    SplitTable("gorgias", "ticket_events", "created_datetime"),
    SplitTable("gorgias", "satisfaction_surveys", "created_datetime"),
    SplitTable("time_tracking", "ticket_time_entries", "started_at"),
    SplitTable("returns", "return_requests", "updated_at"),
    SplitTable("shopify", "orders", "Created at", group_column="Name"),
    SplitTable("shipping", "fulfillments", "updated_at"),
    SplitTable("shipping", "tracking_events", "checkpoint_at"),
    SplitTable("shipping", "notifications", "sent_at"),
    SplitTable("nps", "responses", "created_at"),
)
CUTOFF_TABLE = SPLIT_TABLES[0]


def extension(folder: str, fmt: str) -> str:
    if fmt == "parquet":
        return "parquet"
    return "ndjson" if folder == "gorgias" else "csv"


def table_files(cache: Path, table: SplitTable, fmt: str) -> list[Path]:
    """The table's files, the way dbt's glob sees them (``tickets*`` also takes ``tickets_reexport``)."""
    return sorted((cache / table.folder).glob(f"{table.table}*.{extension(table.folder, fmt)}"))


# ---------------------------------------------------------------- timestamps
_EPOCH = re.compile(r"[0-9]{9,11}(\.[0-9]+)?")
_OFFSET = re.compile(r"\s?([+-][0-9]{2}):?([0-9]{2})$")


def utc_seconds(text: object, export_timezone: str = EXPORT_TIMEZONE) -> float | None:
    """An export timestamp as Unix seconds (UTC); None when empty or unparseable."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str) or not text.strip():
        return None
    s = text.strip()
    if _EPOCH.fullmatch(s):
        return float(s)
    if s[-1] in "zZ":
        s = s[:-1] + "+00:00"
    else:
        s = _OFFSET.sub(r"\1:\2", s)
    try:
        parsed = dt.datetime.fromisoformat(s)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(export_timezone))
    return parsed.timestamp()


def utc_sql(column_sql: str, export_timezone: str = EXPORT_TIMEZONE) -> str:
    """The same rule as ``utc_seconds`` as a DuckDB expression giving a ``timestamptz`` (or null)."""
    v = f"trim(cast({column_sql} as varchar))"
    tz = export_timezone.replace("'", "''")
    return f"""(case
        when nullif({v}, '') is null then null
        when regexp_full_match({v}, '[0-9]{{9,11}}(\\.[0-9]+)?') then to_timestamp(cast({v} as double))
        when regexp_matches({v}, '([zZ]|[+-][0-9]{{2}}:?[0-9]{{2}})$')
            then try_cast(regexp_replace({v}, '\\s?([+-][0-9]{{2}}):?([0-9]{{2}})$', '\\1:\\2') as timestamptz)
        else timezone('{tz}', try_cast({v} as timestamp))
    end)"""


# ---------------------------------------------------------------- native files, streamed
def csv_records(lines: Iterator[str]) -> Iterator[str]:
    """Raw CSV records (text including the line ending), a quoted newline kept inside its record.

    With ``"`` quoting and ``""`` escapes, a record ends at a line end outside quotes, i.e.
    where the count of ``"`` so far is even.
    """
    parts: list[str] = []
    quotes = 0
    for line in lines:
        parts.append(line)
        quotes += line.count('"')
        if quotes % 2 == 0:
            yield "".join(parts)
            parts, quotes = [], 0
    if parts:
        yield "".join(parts)


def csv_fields(record: str) -> list[str]:
    body = record.rstrip("\r\n")
    if '"' not in body:
        return body.split(",")
    return next(csv.reader(io.StringIO(body)), [])


class _NativeSplitter:
    """Streams one native file into history/day text files; decides each row by its timestamp."""

    def __init__(self, table: SplitTable, cutoff: float, export_timezone: str) -> None:
        self.table, self.cutoff, self.tz = table, cutoff, export_timezone
        self.group_decision: dict[str, bool] = {}

    def is_day(self, value: object, group: str | None) -> bool:
        if group:  # later lines of a group follow its first line
            if group not in self.group_decision:
                self.group_decision[group] = self._at_or_after(value)
            return self.group_decision[group]
        return self._at_or_after(value)

    def _at_or_after(self, value: object) -> bool:
        seconds = utc_seconds(value, self.tz)
        return seconds is not None and seconds >= self.cutoff

    def split(self, source: Path, history, day) -> tuple[int, int]:
        counts = [0, 0]
        with source.open(**TEXT) as f:
            if source.suffix == ".ndjson":
                for line in f:
                    try:
                        obj = json.loads(line)
                    except ValueError:  # blank or broken line: stays with the history
                        obj = None
                    value = obj.get(self.table.time_column) if isinstance(obj, dict) else None
                    target = self.is_day(value, None)
                    (day if target else history).write(line)
                    counts[target] += 1
            else:
                records = csv_records(f)
                header = next(records, "")
                columns = csv_fields(header)
                if self.table.time_column not in columns:
                    raise ValueError(f"{source}: no column {self.table.time_column!r} in the header")
                at = columns.index(self.table.time_column)
                by = columns.index(self.table.group_column) if self.table.group_column else None
                history.write(header)
                day.write(header)
                for record in records:
                    fields = csv_fields(record)
                    value = fields[at] if at < len(fields) else None
                    group = fields[by] if by is not None and by < len(fields) and fields[by] else None
                    target = self.is_day(value, group)
                    (day if target else history).write(record)
                    counts[target] += 1
        return counts[0], counts[1]


def _split_native(source: Path, hist_path: Path, day_path: Path, table: SplitTable, cutoff: float,
                  export_timezone: str) -> tuple[int, int]:
    with hist_path.open("w", **TEXT) as history, day_path.open("w", **TEXT) as day:
        return _NativeSplitter(table, cutoff, export_timezone).split(source, history, day)


# ---------------------------------------------------------------- parquet, through DuckDB
def _split_parquet(con: duckdb.DuckDBPyConnection, source: Path, hist_path: Path, day_path: Path,
                   table: SplitTable, cutoff: float, export_timezone: str) -> tuple[int, int]:
    src = str(source).replace("'", "''")
    col = '"' + table.time_column.replace('"', '""') + '"'
    is_day = f"coalesce({utc_sql(col, export_timezone)} >= to_timestamp({cutoff}), false)"
    if table.group_column:
        group = '"' + table.group_column.replace('"', '""') + '"'
        is_day = (f"first_value({is_day}) over (partition by coalesce(nullif({group}, ''), '#line' || ordinality) "
                  "order by ordinality rows between unbounded preceding and unbounded following)")
    con.execute(f"""create or replace temp table split_rows as
        select *, {is_day} as _is_day from read_parquet('{src}') with ordinality""")
    day_rows = con.execute("select count(*) filter (where _is_day), count(*) from split_rows").fetchone()
    if day_rows[0]:
        for path, keep in ((hist_path, "not _is_day"), (day_path, "_is_day")):
            con.execute(f"""copy (select * exclude (ordinality, _is_day) from split_rows where {keep}
                order by ordinality) to '{str(path).replace("'", "''")}' (format parquet, compression zstd)""")
    con.execute("drop table split_rows")
    return day_rows[1] - day_rows[0], day_rows[0]


# ---------------------------------------------------------------- the folder
def find_cutoff(cache: Path, fmt: str, export_timezone: str = EXPORT_TIMEZONE) -> float:
    """Start of the last calendar day with a ticket row, as Unix seconds.

    The day is the brand's: midnight in the export timezone (a UTC day would cut the
    generated year's last day to the five hours after midnight UTC).
    """
    files = table_files(cache, CUTOFF_TABLE, fmt)
    if not files:
        raise FileNotFoundError(f"no {CUTOFF_TABLE.folder}/{CUTOFF_TABLE.table}* files in {cache}")
    paths = "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"
    col = CUTOFF_TABLE.time_column
    reader = (f"read_parquet({paths})" if fmt == "parquet"
              else f"read_json({paths}, format = 'newline_delimited', columns = {{{col}: 'varchar'}})")
    con = duckdb.connect()
    con.execute("set timezone = 'UTC'")
    latest = con.execute(f"select epoch(max({utc_sql(col, export_timezone)})) from {reader}").fetchone()[0]
    con.close()
    if latest is None:
        raise ValueError(f"{cache}: no ticket has a readable {col}")
    local = dt.datetime.fromtimestamp(latest, ZoneInfo(export_timezone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def _relative_link(target: Path, link: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(os.path.relpath(target.resolve(), link.parent.resolve()))


def _manifest_hash(cache: Path) -> str:
    manifest = cache / "_manifest.json"
    return hashlib.sha256(manifest.read_bytes()).hexdigest() if manifest.exists() else ""


def split_path(cache: Path) -> Path:
    cache = cache.resolve()
    return cache.with_name(cache.name + ".split")


def load_split(cache: Path, out: Path | None = None) -> dict | None:
    """The finished split of this cache in ``out`` (default ``<cache>.split``), or None (missing,
    unfinished, or of an older cache)."""
    marker = (out or split_path(cache)) / SPLIT_MARKER
    if not marker.exists():
        return None
    info = json.loads(marker.read_text())
    return info if info.get("cache_manifest_sha256") == _manifest_hash(cache) else None


def split_exports(cache: Path, fmt: str, export_timezone: str = EXPORT_TIMEZONE, out: Path | None = None) -> dict:
    """Split ``cache`` into ``<out>/history`` and ``<out>/day`` (default out: ``<cache>.split``); return the info.

    Built in ``<out>.partial`` and renamed when done, so an interrupted split is never reused.
    """
    cache = cache.resolve()
    out = (out or split_path(cache)).resolve()
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    started = time.perf_counter()
    cutoff = find_cutoff(cache, fmt, export_timezone)
    files: dict[str, dict] = {}
    con = duckdb.connect()
    con.execute("set timezone = 'UTC'")
    con.execute("set preserve_insertion_order = true")
    # Parquet files are split one at a time; the profile's memory limit, spilling into the partial folder.
    con.execute(f"set memory_limit = '{os.environ.get('SUPPORT_KPIS_MEMORY_LIMIT', '4GB')}'")
    con.execute(f"set temp_directory = '{str(partial / '_tmp').replace(chr(39), chr(39) * 2)}'")
    handled: set[Path] = set()
    for table in SPLIT_TABLES:
        for source in table_files(cache, table, fmt):
            if source in handled:
                raise ValueError(f"{source} matches two tables of SPLIT_TABLES")
            handled.add(source)
            rel = source.relative_to(cache)
            hist_path = partial / "history" / rel
            day_rel = Path(table.folder) / f"{source.stem}{DAY_SUFFIX}{source.suffix}"
            day_path = partial / "day" / day_rel
            hist_path.parent.mkdir(parents=True, exist_ok=True)
            day_path.parent.mkdir(parents=True, exist_ok=True)
            if fmt == "parquet":
                history_rows, day_rows = _split_parquet(con, source, hist_path, day_path, table, cutoff,
                                                        export_timezone)
            else:
                history_rows, day_rows = _split_native(source, hist_path, day_path, table, cutoff, export_timezone)
            if day_rows == 0:  # nothing new in this file: the history is the file itself
                hist_path.unlink(missing_ok=True)
                day_path.unlink(missing_ok=True)
                _relative_link(source, hist_path)
            files[str(rel)] = {"history_rows": history_rows, "day_rows": day_rows,
                               "day_file": str(day_rel) if day_rows else None}
    con.close()
    shutil.rmtree(partial / "_tmp", ignore_errors=True)
    for other in sorted(cache.rglob("*")):
        if other.is_file() and other not in handled:
            _relative_link(other, partial / "history" / other.relative_to(cache))
    (partial / "day").mkdir(parents=True, exist_ok=True)
    for folder in (partial / "day").iterdir():
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    info = {
        "cache": str(cache),
        "format": fmt,
        "export_timezone": export_timezone,
        "cutoff": dt.datetime.fromtimestamp(cutoff, dt.timezone.utc).isoformat(),
        "cutoff_epoch": cutoff,
        "cache_manifest_sha256": _manifest_hash(cache),
        "seconds": round(time.perf_counter() - started, 1),
        "files": files,
    }
    (partial / SPLIT_MARKER).write_text(json.dumps(info, indent=2) + "\n")
    shutil.rmtree(out, ignore_errors=True)
    partial.rename(out)
    return info


def link_tree(source: Path, target: Path) -> int:
    """Mirror every file under ``source`` into ``target`` as a symlink (folders made real); return the count."""
    count = 0
    for path in sorted(source.rglob("*")):
        if path.is_file():
            link = target / path.relative_to(source)
            link.unlink(missing_ok=True)
            _relative_link(path, link)
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m support_kpis.benchmark.day_split", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", required=True, help="a generated exports folder")
    parser.add_argument("--format", choices=("native", "parquet"), default="native")
    parser.add_argument("--export-timezone", default=EXPORT_TIMEZONE)
    parser.add_argument("--out", default=None, help="split folder (default: <cache>.split beside the cache)")
    parser.add_argument("--force", action="store_true", help="split again even when a finished split exists")
    args = parser.parse_args(argv)
    cache = Path(args.cache)
    out = Path(args.out) if args.out else split_path(cache)
    info = None if args.force else load_split(cache, out)
    if info is None:
        info = split_exports(cache, args.format, args.export_timezone, out)
    day = sum(f["day_rows"] for f in info["files"].values())
    history = sum(f["history_rows"] for f in info["files"].values())
    print(f"split {cache} at {info['cutoff']}: {history} history rows, {day} day rows -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
