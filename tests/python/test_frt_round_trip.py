"""tests/assert_frt_microseconds_round_trip.sql holds, and can fail.

speed_and_accessibility recovers integer microseconds from the tickets mart's business
minutes (a double) by rounding. Minutes are built as the business_minutes macro builds them
(whole minutes between calendar days + a microsecond offset / 60e6); spans up to 20 years
with odd microseconds must round back exactly, and a 6-microsecond error must be caught.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]
TEST_SQL = (REPO / "tests" / "assert_frt_microseconds_round_trip.sql").read_text()
SQL = re.sub(
    r"\{\{\s*ref\('([a-z0-9_]+)'\)\s*\}\}",
    lambda m: {"tickets": "tickets", "int_ticket_business_durations": "durations"}[m.group(1)],
    TEST_SQL,
)


def test_round_trip_is_exact_and_a_tampered_minute_is_caught() -> None:
    con = duckdb.connect()
    # 200,000 spans from 0 to ~20 years of business minutes, each with a signed microsecond offset (end minus start) as in the macro.
    con.execute(
        """
        create table durations as
        select
            i as ticket_id,
            (i * 52567) % 10512000 as whole_minutes,
            (i * 7919) % 119999999 - 59999999 as offset_us
        from range(200000) as r (i)
        """
    )
    con.execute(
        """
        create table tickets as
        select ticket_id, whole_minutes + offset_us / 60000000.0 as first_response_business_minutes
        from durations
        """
    )
    con.execute(
        "alter table durations add column first_response_business_microseconds bigint"
    )
    con.execute(
        "update durations set first_response_business_microseconds = whole_minutes * 60000000 + offset_us"
    )
    assert con.execute(SQL).fetchall() == []
    con.execute(
        "update tickets set first_response_business_minutes = first_response_business_minutes + 0.0000001"
        " where ticket_id = 12345"
    )
    assert [row[0] for row in con.execute(SQL).fetchall()] == [12345]
