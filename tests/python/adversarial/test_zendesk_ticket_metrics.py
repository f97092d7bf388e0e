"""Zendesk's ticket_metrics export (issue 14, "Zendesk's own figures"): an optional table.

One export folder, one staging-only build (~20 s): data/sample plus two files
zendesk/ticket_metrics*.ndjson holding, besides two good tickets, each kind of bad figure.
A figure Zendesk never writes (negative, fractional, text, a bare number where the
{calendar, business} object belongs) is quarantined with its reason, never read as 0 or
rounded; a re-export of a ticket with a later updated_at wins even from an earlier file;
the reconciliation balances: rows read = kept + duplicate + rejected.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import bad_inputs as bi

pytestmark = pytest.mark.dbt_build


def _metric(ticket_id: int, updated_at: str, **fields) -> dict:
    row = {
        "id": ticket_id + 1000, "ticket_id": ticket_id,
        "created_at": "2025-01-02T10:00:00Z", "updated_at": updated_at,
        "solved_at": None, "initially_assigned_at": None, "assigned_at": None,
        "reopens": 0, "replies": 1, "assignee_stations": 1, "group_stations": 1,
        "reply_time_in_minutes": {"calendar": 30, "business": 20},
        "first_resolution_time_in_minutes": {"calendar": None, "business": None},
        "full_resolution_time_in_minutes": {"calendar": None, "business": None},
        "agent_wait_time_in_minutes": {"calendar": 0, "business": 0},
        "requester_wait_time_in_minutes": {"calendar": 30, "business": 20},
        "on_hold_time_in_minutes": {"calendar": 0, "business": 0},
    }
    row.update(fields)
    return row


# file a: line 1 the NEWER copy of 101 (solved), line 2..5 bad rows
FILE_A = [
    _metric(101, "2025-01-03T10:00:00Z", solved_at="2025-01-03T09:00:00Z",
            first_resolution_time_in_minutes={"calendar": 1380, "business": 500},
            full_resolution_time_in_minutes={"calendar": 1380, "business": 500}),
    _metric(102, "2025-01-03T10:00:00Z", reopens=-1, reply_time_in_minutes={"calendar": -5, "business": 20}),
    _metric(103, "2025-01-03T10:00:00Z", replies="two",
            first_resolution_time_in_minutes={"calendar": 12.5, "business": 12}),
    _metric(104, "2025-01-03T10:00:00Z", reply_time_in_minutes=12),
    _metric(105, "yesterday"),
]
# file b: the OLDER copy of 101 (earlier updated_at, later file), and a good 106
FILE_B = [
    _metric(101, "2025-01-02T12:00:00Z"),
    _metric(106, "2025-01-04T10:00:00Z", reply_time_in_minutes={"calendar": 0, "business": 0}),
]

EXPECTED_REJECTIONS = {
    ("ticket_metrics_a.ndjson", 2): "negative reply_time_in_minutes.calendar; negative reopens",
    ("ticket_metrics_a.ndjson", 3): "non-numeric or fractional first_resolution_time_in_minutes.calendar; "
                                    "non-numeric or fractional replies",
    ("ticket_metrics_a.ndjson", 4): "reply_time_in_minutes is not a {calendar, business} object",
    ("ticket_metrics_a.ndjson", 5): "missing or unparseable updated_at",
}


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("zendesk_metrics")
    exports = bi.zendesk_exports(workdir / "exports")
    for name, rows in (("ticket_metrics_a.ndjson", FILE_A), ("ticket_metrics_b.ndjson", FILE_B)):
        (exports / "zendesk" / name).write_text("".join(json.dumps(row) + "\n" for row in rows))
    run = bi.dbt(["build", "--select", "+stg_zendesk__ticket_metrics", "+stg_row_reconciliation",
                  "+stg_rejected_rows", *bi.NO_TESTS], workdir / "dbt", exports, extra_vars=bi.ZENDESK_VARS)
    assert run.returncode == 0, run.output[-3000:]
    return run


def test_bad_figures_are_quarantined_with_their_reason(build):
    rows = bi.query(build.db, "select source_file, source_line, rejection_reason from staging.stg_rejected_rows "
                              "where source_name = 'zendesk' and table_name = 'ticket_metrics'")
    found = {(Path(file).name, line): reason for file, line, reason in rows}
    assert found == EXPECTED_REJECTIONS


def test_latest_update_wins_and_figures_are_whole_minutes(build):
    rows = bi.query(build.db, "select ticket_id, reply_time_calendar_minutes, reply_time_business_minutes, "
                              "first_resolution_time_business_minutes, solved_at::varchar "
                              "from staging.stg_zendesk__ticket_metrics order by ticket_id")
    # 101: the copy updated 2025-01-03 (file a) beats the one updated 2025-01-02 (file b)
    assert rows == [(101, 30, 20, 500, "2025-01-03 09:00:00"), (106, 0, 0, None, None)]


def test_rows_reconcile(build):
    [row] = bi.query(build.db, "select rows_read, rows_kept, rows_duplicate, rows_rejected "
                               "from staging.stg_row_reconciliation "
                               "where source_name = 'zendesk' and table_name = 'ticket_metrics'")
    assert row == (7, 2, 1, 4)
    assert row[0] == row[1] + row[2] + row[3]
