"""macros/staging/to_utc_timestamp.sql on every timestamp shape the export contract allows.

Compiles the macro once with `dbt compile --inline` (export_timezone = America/New_York,
the project default) and evaluates it in DuckDB with the session pinned to UTC, as the
profile does. Expected UTC values are worked out by hand from the New York DST rules of
2024 (EDT = UTC-4 from 2024-03-10 02:00 local to 2024-11-03 02:00 local, else EST = UTC-5).
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
PROJECT = Path(os.environ.get("SUPPORT_KPIS_PROJECT_DIR", REPO))

CASES = [
    ("2024-03-01T10:15:00Z", datetime(2024, 3, 1, 10, 15)),
    ("2024-03-01T10:15:00.123Z", datetime(2024, 3, 1, 10, 15, 0, 123000)),
    ("2024-03-01T12:15:00+02:00", datetime(2024, 3, 1, 10, 15)),
    ("2024-03-01 10:15:00 +0100", datetime(2024, 3, 1, 9, 15)),  # Shopify style
    ("2024-03-01 10:15:00 -0500", datetime(2024, 3, 1, 15, 15)),
    ("2024-03-01 10:15:00", datetime(2024, 3, 1, 15, 15)),  # naive, EST
    ("2024-07-01T10:15:00", datetime(2024, 7, 1, 14, 15)),  # naive with T, EDT
    ("2024-03-10 01:30:00", datetime(2024, 3, 10, 6, 30)),  # last EST half hour before the jump
    ("2024-03-10 03:30:00", datetime(2024, 3, 10, 7, 30)),  # first EDT hour after the jump
    ("2024-11-03 00:30:00", datetime(2024, 11, 3, 4, 30)),  # EDT before fall-back
    ("2024-11-03 02:30:00", datetime(2024, 11, 3, 7, 30)),  # EST after fall-back
    ("1709288100", datetime(2024, 3, 1, 10, 15)),  # epoch seconds (NPS)
    (" 1709288100 ", datetime(2024, 3, 1, 10, 15)),
    ("garbage", None),
    ("30/05/2024", None),
    ("", None),
]


@pytest.fixture(scope="module")
def macro_sql(tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp("stg_ts")
    env = {**os.environ, "DBT_TARGET_PATH": str(tmp / "target"), "DBT_LOG_PATH": str(tmp / "logs"),
           "SUPPORT_KPIS_DB": str(tmp / "wh.duckdb"), "SUPPORT_KPIS_TEMP_DIR": str(tmp),
           "DBT_PROFILES_DIR": str(PROJECT)}
    result = subprocess.run(
        [sys.executable, "-m", "dbt.cli.main", "compile", "--quiet", "--project-dir", str(PROJECT),
         "--vars", "{check_export_headers: false}",
         "--inline", "select raw, {{ to_utc_timestamp('raw') }} as utc from cases"],
        env=env, cwd=PROJECT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    return result.stdout[result.stdout.index("select raw"):]


def test_to_utc_timestamp(macro_sql):
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute("create table cases (raw varchar)")
    con.executemany("insert into cases values (?)", [[raw] for raw, _ in CASES])
    got = dict(con.execute(macro_sql).fetchall())
    assert got == dict(CASES)


def test_ambiguous_fall_back_hour_is_read_as_standard_time(macro_sql):
    # 01:30 happens twice on 2024-11-03 in New York; the macro documents that it takes
    # the standard-time reading (EST, UTC-5), i.e. the later instant.
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute("create table cases as select '2024-11-03 01:30:00' as raw")
    assert con.execute(macro_sql).fetchall() == [("2024-11-03 01:30:00", datetime(2024, 11, 3, 6, 30))]
