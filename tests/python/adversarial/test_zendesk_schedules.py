"""Issue 14: the Zendesk schedules export (optional), as a brand's admin really leaves it.

One exports folder (the sample with the hand-written Zendesk export as its helpdesk,
bad_inputs.zendesk_exports, plus zendesk/schedules*.ndjson), staging only:
  - a split-shift schedule named the Rails way ("Eastern Time (US & Canada)") with a
    three-day holiday is staged with its IANA zone, one weekday row per interval and piece,
    and its holiday;
  - a schedule re-exported with a later updated_at: the later copy wins, the older one is a
    duplicate;
  - a time zone nobody maps ("Mars Standard Time"), overlapping intervals, an interval past
    the end of the week, a fractional minute, a holiday ending before it starts, a missing
    id: each schedule is quarantined whole, with its reason, file and line;
  - an IANA name is accepted as it is;
  - rows in = kept + duplicates + rejected for zendesk.schedules, counted in Python (on the
    base model's flags);
  - without a schedules file, the export is simply not provided: zero rows, the build passes.
On the code before this branch there was no zendesk.schedules table: the files were ignored.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import bad_inputs as bi

pytestmark = pytest.mark.dbt_build

MINUTES_PER_DAY = 1440


def week_minute(day: int, hour: int, minute: int = 0) -> int:
    """Zendesk's interval unit: minutes from Sunday 00:00 (day 0 = Sunday)."""
    return day * MINUTES_PER_DAY + hour * 60 + minute


def split_shift_intervals() -> list[dict]:
    """Monday to Friday 09:00-12:00 and 13:00-17:00."""
    intervals = []
    for day in range(1, 6):
        intervals.append({"start_time": week_minute(day, 9), "end_time": week_minute(day, 12)})
        intervals.append({"start_time": week_minute(day, 13), "end_time": week_minute(day, 17)})
    return intervals


def schedule(schedule_id, time_zone, intervals, holidays=None, updated_at="2025-06-01T10:00:00Z", name=None) -> dict:
    return {
        "id": schedule_id, "name": name or f"Schedule {schedule_id}", "time_zone": time_zone,
        "intervals": intervals, "holidays": holidays or [],
        "created_at": "2025-01-01T00:00:00Z", "updated_at": updated_at,
    }


CHRISTMAS = {"id": 9001, "name": "Christmas", "start_date": "2025-12-24", "end_date": "2025-12-26"}
WEEKDAYS_9_TO_17 = [{"start_time": week_minute(d, 9), "end_time": week_minute(d, 17)} for d in range(1, 6)]

FIRST_FILE = [
    schedule(101, "Eastern Time (US & Canada)", split_shift_intervals(), [CHRISTMAS]),
    schedule(102, "Pacific Time (US & Canada)", WEEKDAYS_9_TO_17, name="Old name"),
    schedule(103, "Mars Standard Time", WEEKDAYS_9_TO_17),
    schedule(104, "London", [{"start_time": 600, "end_time": 900}, {"start_time": 800, "end_time": 1000}]),
    schedule(105, "London", [{"start_time": 9000, "end_time": 10200}]),
    schedule(106, "Europe/Paris", [{"start_time": week_minute(5, 22), "end_time": week_minute(6, 2)}]),
    schedule(107, "London", WEEKDAYS_9_TO_17,
             [{"id": 1, "name": "Backwards", "start_date": "2025-05-02", "end_date": "2025-05-01"}]),
    schedule(None, "London", WEEKDAYS_9_TO_17),
    schedule(108, "London", [{"start_time": 540.5, "end_time": 600}]),
]
# the re-export: schedule 102 changed zone and name later
SECOND_FILE = [
    schedule(102, "London", WEEKDAYS_9_TO_17, updated_at="2025-07-01T10:00:00Z", name="New name"),
]
# (file, line) -> reason substring
EXPECTED_REJECTIONS = {
    ("schedules.ndjson", 3): "unknown time_zone 'Mars Standard Time': add it to seed zendesk_time_zones",
    ("schedules.ndjson", 4): "overlapping intervals",
    ("schedules.ndjson", 5): "interval not in whole minutes inside the week",
    ("schedules.ndjson", 7): "holiday without a valid start_date and end_date",
    ("schedules.ndjson", 8): "missing or non-numeric id",
    ("schedules.ndjson", 9): "interval not in whole minutes inside the week",
}


@pytest.fixture(scope="module")
def schedules_build(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("zendesk_schedules")
    exports = bi.zendesk_exports(workdir / "exports")
    (exports / "zendesk" / "schedules.ndjson").write_text(bi.ndjson_text(FIRST_FILE))
    (exports / "zendesk" / "schedules_reexport.ndjson").write_text(bi.ndjson_text(SECOND_FILE))
    selection = ["--select", "+stg_zendesk__schedules", "+stg_zendesk__schedule_intervals",
                 "+stg_zendesk__schedule_holidays"]
    run = bi.dbt(["build", *selection, *bi.NO_TESTS], workdir / "dbt", exports, extra_vars=bi.ZENDESK_VARS)
    assert run.returncode == 0, run.output[-3000:]
    # the staging models' own data tests hold on what was kept
    tests = bi.dbt(["test", "--select", "base_zendesk__schedules", "stg_zendesk__schedules",
                    "stg_zendesk__schedule_intervals", "stg_zendesk__schedule_holidays",
                    "--exclude", "resource_type:unit_test"],
                   workdir / "dbt", exports, extra_vars=bi.ZENDESK_VARS)
    return {"run": run, "tests": tests}


def test_rails_zone_split_shift_and_holiday_are_staged(schedules_build):
    db = schedules_build["run"].db
    assert bi.query(db, "select schedule_id, zendesk_time_zone, timezone from staging.stg_zendesk__schedules "
                        "where schedule_id = '101'") == [("101", "Eastern Time (US & Canada)", "America/New_York")]
    rows = bi.query(db, "select iso_weekday, opens_at, closes_at from staging.stg_zendesk__schedule_intervals "
                        "where schedule_id = '101' order by 1, 2")
    # ISO Monday 1 ... Friday 5, two windows each
    assert rows == [(day, opens, closes) for day in range(1, 6)
                    for opens, closes in (("09:00", "12:00"), ("13:00", "17:00"))]
    assert bi.query(db, "select holiday_name, cast(start_date as varchar), cast(end_date as varchar) "
                        "from staging.stg_zendesk__schedule_holidays where schedule_id = '101'") == [
        ("Christmas", "2025-12-24", "2025-12-26")]


def test_interval_past_midnight_and_iana_name(schedules_build):
    db = schedules_build["run"].db
    assert bi.query(db, "select timezone from staging.stg_zendesk__schedules where schedule_id = '106'") == [
        ("Europe/Paris",)]
    # Friday 22:00 to Saturday 02:00: two weekday rows
    assert bi.query(db, "select iso_weekday, opens_at, closes_at from staging.stg_zendesk__schedule_intervals "
                        "where schedule_id = '106' order by 1") == [(5, "22:00", "24:00"), (6, "00:00", "02:00")]


def test_latest_reexport_wins(schedules_build):
    db = schedules_build["run"].db
    assert bi.query(db, "select schedule_name, timezone from staging.stg_zendesk__schedules "
                        "where schedule_id = '102'") == [("New name", "Europe/London")]


def test_bad_schedules_quarantined_with_reason_file_and_line(schedules_build):
    db = schedules_build["run"].db
    rejected = bi.query(db, "select source_file, source_line, rejection_reason, raw_record "
                            "from staging.base_zendesk__schedules where rejection_reason is not null")
    found = {(Path(file).name, line): reason for file, line, reason, _ in rejected}
    assert set(found) == set(EXPECTED_REJECTIONS), found
    for key, reason in EXPECTED_REJECTIONS.items():
        assert reason in found[key], (key, found[key])
    # the row as exported is kept for the quarantine
    assert all(json.loads(raw)["time_zone"] for *_, raw in rejected)
    kept = {r[0] for r in bi.query(db, "select schedule_id from staging.stg_zendesk__schedules")}
    assert kept == {"101", "102", "106"}
    # a quarantined schedule leaves no interval or holiday behind
    assert bi.query(db, "select count(*) from staging.stg_zendesk__schedule_intervals "
                        "where schedule_id not in ('101', '102', '106')") == [(0,)]


def test_rows_reconcile(schedules_build):
    db = schedules_build["run"].db
    rows_in = len(FIRST_FILE) + len(SECOND_FILE)
    (read, kept, duplicate, rejected), = bi.query(
        db, "select count(*), count(*) filter (where rejection_reason is null and not is_superseded), "
            "count(*) filter (where is_superseded), count(*) filter (where rejection_reason is not null) "
            "from staging.base_zendesk__schedules")
    assert (read, kept, duplicate, rejected) == (rows_in, 3, 1, len(EXPECTED_REJECTIONS))
    assert read == kept + duplicate + rejected


def test_staging_data_tests_pass(schedules_build):
    tests = schedules_build["tests"]
    assert tests.returncode == 0, tests.output[-3000:]


def test_export_not_provided_is_zero_rows(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("zendesk_schedules_absent")
    exports = bi.zendesk_exports(workdir / "exports")
    assert not list((exports / "zendesk").glob("schedules*"))
    run = bi.dbt(["build", "--select", "+stg_zendesk__schedule_intervals", *bi.NO_TESTS], workdir / "dbt", exports,
                 extra_vars=bi.ZENDESK_VARS)
    assert run.returncode == 0, run.output[-3000:]
    assert bi.query(run.db, "select count(*) from staging.base_zendesk__schedules") == [(0,)]
    assert bi.query(run.db, "select count(*) from staging.stg_zendesk__schedule_intervals") == [(0,)]
