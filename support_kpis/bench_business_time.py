"""Benchmark and cross-check of the business-time calendar approach, DuckDB only.

Reads int_business_calendar_days from a built warehouse (dbt build --select
+int_business_calendar_days), generates N synthetic spans, and times the lookup that
macros/business_time/business_minutes.sql generates: two equality joins on (schedule_id,
local date) and F(b) - F(a). With --check it also compares a sample of spans against an
independent oracle (Python zoneinfo, walking the local days of each span, reading the
seed CSVs directly), so a wrong calendar or a wrong clamp shows up as a mismatch.

    python support_kpis/bench_business_time.py --db /tmp/bt/wh.duckdb --rows 1000000 10000000 --check 2000
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "business_time"

# Same shape as business_calendar_join + business_minutes in macros/business_time/business_minutes.sql.
SPAN_SQL = """
create or replace table bench_results as
with spans as (
    select spans.*, schedules.timezone from bench_spans as spans
    inner join schedules on spans.schedule_id = schedules.schedule_id
)
select
    spans.span_id,
    (epoch_us(spans.end_at) - epoch_us(spans.start_at)) / 60000000.0 as calendar_minutes,
    (end_day.business_minutes_before - start_day.business_minutes_before)
    + (
        least(greatest(epoch_us(spans.end_at) - epoch_us(end_day.open_at), 0),
              epoch_us(end_day.close_at) - epoch_us(end_day.open_at))
        - least(greatest(epoch_us(spans.start_at) - epoch_us(start_day.open_at), 0),
                epoch_us(start_day.close_at) - epoch_us(start_day.open_at))
    ) / 60000000.0 as business_minutes
from spans
left join calendar_days as start_day
    on spans.schedule_id = start_day.schedule_id
    and cast(timezone(spans.timezone, timezone('UTC', spans.start_at)) as date) = start_day.calendar_date
left join calendar_days as end_day
    on spans.schedule_id = end_day.schedule_id
    and cast(timezone(spans.timezone, timezone('UTC', spans.end_at)) as date) = end_day.calendar_date
"""


def connect(db_path: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding copies of the calendar and the schedules seed."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute(f"attach '{db_path}' as wh (read_only)")
    con.execute("create table calendar_days as select * from wh.intermediate.int_business_calendar_days")
    con.execute("create table schedules as select * from wh.reference.business_schedules")
    con.execute("detach wh")
    return con


def make_spans(con: duckdb.DuckDBPyConnection, rows: int, max_span_days: int, seed: float = 0.42) -> None:
    """rows synthetic spans starting in 2025-2026, up to max_span_days long, over every schedule."""
    con.execute(f"select setseed({seed})")
    con.execute(
        f"""
        create or replace table bench_spans as
        with base as (
            select
                range as span_id,
                timestamp '2025-01-01' + to_microseconds(cast(random() * 730 * 86400e6 as bigint)) as start_at,
                to_microseconds(cast(random() * {max_span_days} * 86400e6 as bigint)) as span_length
            from range({rows})
        )
        select
            base.span_id,
            (select list(schedule_id order by schedule_id) from schedules)[1 + base.span_id % 3] as schedule_id,
            base.start_at,
            base.start_at + base.span_length as end_at
        from base
        """
    )


def time_spans(con: duckdb.DuckDBPyConnection) -> float:
    """Seconds to compute and materialise business minutes for every span in bench_spans."""
    started = time.perf_counter()
    con.execute(SPAN_SQL)
    return time.perf_counter() - started


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def oracle_business_minutes(
    start_at: dt.datetime,
    end_at: dt.datetime,
    timezone: str,
    hours: dict[int, tuple[int, int]],
    holidays: set[dt.date],
) -> float:
    """Business minutes between two naive UTC datetimes, walking local days with zoneinfo."""
    zone = ZoneInfo(timezone)
    utc = dt.timezone.utc
    start = start_at.replace(tzinfo=utc)
    end = end_at.replace(tzinfo=utc)
    day = start.astimezone(zone).date()
    last_day = end.astimezone(zone).date()
    total = 0.0
    while day <= last_day:
        if day.isoweekday() in hours and day not in holidays:
            opens, closes = hours[day.isoweekday()]
            midnight = dt.datetime.combine(day, dt.time(), tzinfo=zone)
            # Wall-clock arithmetic, then to UTC: DST shifts the instant, not the local hour.
            open_at = (midnight.replace(tzinfo=None) + dt.timedelta(minutes=opens)).replace(tzinfo=zone)
            close_at = (midnight.replace(tzinfo=None) + dt.timedelta(minutes=closes)).replace(tzinfo=zone)
            lo = max(start, open_at.astimezone(utc))
            hi = min(end, close_at.astimezone(utc))
            if hi > lo:
                total += (hi - lo).total_seconds() / 60.0
        day += dt.timedelta(days=1)
    return total


def check_sample(con: duckdb.DuckDBPyConnection, sample: int) -> int:
    """Number of sampled spans whose business minutes differ from the oracle by > 1e-6."""
    timezones = {r["schedule_id"]: r["timezone"] for r in csv.DictReader(open(SEEDS / "business_schedules.csv"))}
    hours: dict[str, dict[int, tuple[int, int]]] = {}
    for r in csv.DictReader(open(SEEDS / "business_hours.csv")):
        hours.setdefault(r["schedule_id"], {})[int(r["iso_weekday"])] = (_minutes(r["opens_at"]), _minutes(r["closes_at"]))
    holidays: dict[str, set[dt.date]] = {}
    for r in csv.DictReader(open(SEEDS / "holidays.csv")):
        holidays.setdefault(r["schedule_id"], set()).add(dt.date.fromisoformat(r["holiday_date"]))
    rows = con.execute(
        f"""
        select spans.schedule_id, spans.start_at, spans.end_at, results.business_minutes
        from bench_spans as spans inner join bench_results as results on spans.span_id = results.span_id
        order by spans.span_id limit {sample}
        """
    ).fetchall()
    mismatches = 0
    for schedule_id, start_at, end_at, got in rows:
        want = oracle_business_minutes(
            start_at, end_at, timezones[schedule_id], hours.get(schedule_id, {}), holidays.get(schedule_id, set())
        )
        if got is None or abs(got - want) > 1e-6:
            mismatches += 1
            if mismatches <= 5:
                print(f"  mismatch {schedule_id} {start_at} -> {end_at}: sql={got} oracle={want}")
    return mismatches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="warehouse with int_business_calendar_days built")
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--max-span-days", type=int, default=30)
    parser.add_argument("--check", type=int, default=0, help="compare this many spans with the Python oracle")
    args = parser.parse_args()
    con = connect(args.db)
    for rows in args.rows:
        make_spans(con, rows, args.max_span_days)
        seconds = time_spans(con)
        bad = con.execute(
            "select count(*) filter (where business_minutes is null),"
            " count(*) filter (where business_minutes < 0 or business_minutes > calendar_minutes + 1e-9)"
            " from bench_results"
        ).fetchone()
        print(f"{rows:>11,} spans: {seconds:6.2f} s  (null results: {bad[0]}, out of [0, calendar]: {bad[1]})")
        if args.check:
            print(f"  oracle mismatches in first {args.check}: {check_sample(con, args.check)}")


if __name__ == "__main__":
    main()
