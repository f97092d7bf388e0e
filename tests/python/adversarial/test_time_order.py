"""Adversarial exports: events before their cause, tickets closed without a close time,
conflicting duplicates and a source fresher than the helpdesk (issue 13 §1, issue 17 "Also").

One exports folder (a copy of data/sample) gets one planted row per case, on ids and
orders of its own so the cases do not interact, and is built once (whole project, no data
tests; then the duration tests alone). Each test checks one case's outcome; on the code
before this change each fails (a negative duration reaches a mart, a ticket sits in the
backlog forever, a conflict goes unrecorded, the helpdesk's "now" moves with the returns
export).

Expected outcomes (decision log: docs/decisions/conventions.md, "Events before their cause"):
  ticket closed before created   -> close time unknown: no resolution time, not in backlog
  closed, no close time, events  -> close time from the close event
  closed, no close time at all   -> is_closed_time_unknown: not in backlog, resolution SLA unknown
  close event before creation    -> event quarantined; resolution from the real close
  reply within the clock skew    -> counts at creation: FRT 0, not negative
  survey scored before sent      -> quarantined
  refund before its request      -> quarantined
  approval before the request    -> approved_at unknown (null), counted
  delivery checkpoint before order -> left out: the order is late, not on time
  shipment before its order      -> ship time unknown: in transit, not "not shipped"
  same id + updated, other content -> later file kept, conflict listed and counted
  returns export a day newer     -> helpdesk as-of unchanged; stale source reported
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

import bad_inputs as bi

pytestmark = pytest.mark.dbt_build

CREATED = "2025-06-10T10:00:00Z"
CUSTOMER = {"id": 499999001, "email": "planted.time@example.com", "name": "Planted Time"}

T_CLOSED_BEFORE_CREATED = 29980001
T_CLOSED_NO_TIME = 29980002
T_CLOSE_FROM_EVENT = 29980003
T_EVENT_BEFORE_CREATED = 29980004
T_REPLY_IN_SKEW = 29980005
CONFLICT_TICKET = 20000001  # a clean sample ticket re-sent with the same updated time
SURVEY_SCORED_BEFORE_SENT = 7999801
EVENT_BEFORE_CREATED = 999980041
RETURN_REFUNDED_BEFORE = "RET-9998001"
RETURN_APPROVED_BEFORE = "RET-9998002"
RETURN_FRESHER = "RET-9998003"
ORDER_CHECKPOINT_BEFORE = "998001"
ORDER_SHIPPED_BEFORE = "998002"

FILES = {
    "tickets": "gorgias/tickets_zz_time.ndjson",
    "messages": "gorgias/messages_zz_time.ndjson",
    "events": "gorgias/ticket_events_zz_time.ndjson",
    "surveys": "gorgias/satisfaction_surveys_zz_time.ndjson",
    "returns": "returns/return_requests_zz_time.csv",
    "orders": "shopify/orders_zz_time.csv",
    "fulfillments": "shipping/fulfillments_zz_time.csv",
    "tracking": "shipping/tracking_events_zz_time.csv",
}


def _ticket(template: dict, ticket_id: int, status: str, closed: str | None) -> dict:
    return dict(template, id=ticket_id, channel="email", via="email", status=status, priority="normal",
                subject="Question about my order", customer=CUSTOMER, tags=[], custom_fields=[], spam=False,
                merged_into_ticket_id=None, created_datetime=CREATED, closed_datetime=closed,
                updated_datetime=closed or CREATED)


def _message(message_id: int, ticket_id: int, at: str, from_agent: bool) -> dict:
    sender = {"id": 1020, "email": "agent21@brand.example", "name": "Agent"} if from_agent else CUSTOMER
    return {"id": message_id, "ticket_id": ticket_id, "sender": sender, "from_agent": from_agent, "public": True,
            "via": "helpdesk" if from_agent else "email", "rule_id": None,
            "body_text": "Planted reply" if from_agent else "Planted question", "created_datetime": at,
            "sent_datetime": None}


def _csv_rows(exports: Path, existing: str, rows: list[dict]) -> str:
    header = bi.csv_header(exports / existing)
    return bi.csv_text([header, *[[row.get(column, "") for column in header] for row in rows]])


def _helpdesk_latest_event(exports: Path) -> datetime:
    """The helpdesk's latest event in the export files, read in Python: ticket updates,
    messages, ticket events and survey answers (the sample's naive and unparseable planted
    values are older than the latest and skipped)."""
    fields = {"tickets": "updated_datetime", "messages": "created_datetime",
              "ticket_events": "created_datetime", "satisfaction_surveys": "scored_datetime"}
    latest = []
    for path in (exports / "gorgias").glob("*.ndjson"):
        table = next(t for t in bi.KNOWN_TABLES["gorgias"] if path.name.startswith(t))
        for row in bi.read_ndjson(path):
            try:
                latest.append(bi.parse_utc(row[fields[table]]))
            except (AttributeError, TypeError, ValueError):  # null, naive or unparseable
                continue
    return max(latest)


def plant_time_order_cases(exports: Path) -> dict:
    """Writes one `_zz_time` file per table with the planted rows; returns facts the tests use."""
    gorgias = exports / "gorgias"
    sample_tickets = bi.read_ndjson(gorgias / "tickets.ndjson")
    template = sample_tickets[0]
    conflict = next(t for t in sample_tickets if t["id"] == CONFLICT_TICKET)
    tickets = [
        _ticket(template, T_CLOSED_BEFORE_CREATED, "closed", "2025-06-09T10:00:00Z"),
        _ticket(template, T_CLOSED_NO_TIME, "closed", None),
        _ticket(template, T_CLOSE_FROM_EVENT, "closed", None),
        _ticket(template, T_EVENT_BEFORE_CREATED, "closed", "2025-06-10T12:00:00Z"),
        _ticket(template, T_REPLY_IN_SKEW, "closed", "2025-06-10T12:00:00Z"),
        # same id and updated time as the sample's copy, other content: a conflict the later file wins
        dict(conflict, subject=conflict["subject"] + " (re-sent)"),
    ]
    (exports / FILES["tickets"]).write_text(bi.ndjson_text(tickets))

    messages = [_message(399980000 + i, ticket_id, CREATED, False) for i, ticket_id in enumerate(
        [T_CLOSED_BEFORE_CREATED, T_CLOSED_NO_TIME, T_CLOSE_FROM_EVENT, T_EVENT_BEFORE_CREATED, T_REPLY_IN_SKEW], 1)]
    # a human reply 3 minutes before its ticket: within var message_clock_skew_minutes (5), so kept
    messages.append(_message(399980052, T_REPLY_IN_SKEW, "2025-06-10T09:57:00Z", True))
    (exports / FILES["messages"]).write_text(bi.ndjson_text(messages))

    event = {"user_id": None}
    events = [
        dict(event, id=999980031, object_id=T_CLOSE_FROM_EVENT, type="ticket-closed",
             created_datetime="2025-06-10T15:00:00Z"),
        dict(event, id=EVENT_BEFORE_CREATED, object_id=T_EVENT_BEFORE_CREATED, type="ticket-closed",
             created_datetime="2025-06-10T08:00:00Z"),
        dict(event, id=999980042, object_id=T_EVENT_BEFORE_CREATED, type="ticket-closed",
             created_datetime="2025-06-10T12:00:00Z"),
    ]
    (exports / FILES["events"]).write_text(bi.ndjson_text(events))

    (exports / FILES["surveys"]).write_text(bi.ndjson_text([{
        "id": SURVEY_SCORED_BEFORE_SENT, "ticket_id": CONFLICT_TICKET, "customer_id": conflict["customer"]["id"],
        "score": 5, "body_text": None, "created_datetime": "2025-01-02T12:00:00Z",
        "sent_datetime": "2025-01-02T13:00:00Z", "scored_datetime": "2025-01-02T12:00:00Z",
    }]))

    helpdesk_latest = _helpdesk_latest_event(exports)
    fresher = (helpdesk_latest + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    refund = {"order_name": "#1021", "customer_email": "planted.time@example.com", "type": "refund",
              "reason": "Arrived damaged", "refund_amount": "10.00", "currency": "USD", "helpdesk_ticket_id": ""}
    (exports / FILES["returns"]).write_text(_csv_rows(exports, "returns/return_requests.csv", [
        dict(refund, return_id=RETURN_REFUNDED_BEFORE, status="refunded", requested_at="2025-06-10T10:00:00Z",
             refunded_at="2025-06-05T10:00:00Z", updated_at="2025-06-10T10:00:00Z"),
        dict(refund, return_id=RETURN_APPROVED_BEFORE, status="refunded", requested_at="2025-06-10T10:00:00Z",
             approved_at="2025-06-01T10:00:00Z", refunded_at="2025-06-12T10:00:00Z", updated_at="2025-06-12T10:00:00Z"),
        # the returns app's export ends a day after the helpdesk's
        dict(refund, return_id=RETURN_FRESHER, status="requested", requested_at=fresher, updated_at=fresher),
    ]))

    orders_header, orders_rows = bi.read_csv_rows(exports / "shopify" / "orders.csv")
    base = dict(zip(orders_header, orders_rows[0]))
    created = "2025-06-10 06:00:00 -0400"  # 10:00 UTC
    orders = [dict(base, **{"Name": f"#{number}", "Id": f"519999{number}", "Created at": created,
                            "Paid at": created, "Fulfilled at": "", "Cancelled at": ""})
              for number in (ORDER_CHECKPOINT_BEFORE, ORDER_SHIPPED_BEFORE)]
    (exports / FILES["orders"]).write_text(
        bi.csv_text([orders_header, *[[row[column] for column in orders_header] for row in orders]]))

    fulfillment = {"carrier": "fedex", "service_level": "standard"}
    (exports / FILES["fulfillments"]).write_text(_csv_rows(exports, "shipping/fulfillments.csv", [
        dict(fulfillment, fulfillment_id="FUL-998001", order_id=f"519999{ORDER_CHECKPOINT_BEFORE}",
             order_name=f"#{ORDER_CHECKPOINT_BEFORE}", tracking_number="7999999998001",
             shipped_at="2025-06-11T10:00:00Z", promised_delivery_date="2025-06-13", updated_at="2025-06-14T10:00:00Z"),
        dict(fulfillment, fulfillment_id="FUL-998002", order_id=f"519999{ORDER_SHIPPED_BEFORE}",
             order_name=f"#{ORDER_SHIPPED_BEFORE}", tracking_number="7999999998002",
             shipped_at="2025-06-05T10:00:00Z", promised_delivery_date="2099-01-01", updated_at="2025-06-11T10:00:00Z"),
    ]))
    (exports / FILES["tracking"]).write_text(_csv_rows(exports, "shipping/tracking_events.csv", [
        # a "delivery" five days before the order existed (a reused tracking number), then the real one
        {"event_id": "TE999800001", "tracking_number": "7999999998001", "carrier": "fedex", "status": "delivered",
         "checkpoint_at": "2025-06-05T10:00:00Z", "location": "Newark, NJ", "message": "Delivered"},
        {"event_id": "TE999800002", "tracking_number": "7999999998001", "carrier": "fedex", "status": "delivered",
         "checkpoint_at": "2025-06-14T10:00:00Z", "location": "Newark, NJ", "message": "Delivered"},
    ]))
    return {"helpdesk_latest": helpdesk_latest.replace(tzinfo=None)}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("time_order")
    exports = bi.copy_sample(workdir / "exports")
    facts = plant_time_order_cases(exports)
    run = bi.dbt(["build", *bi.NO_TESTS], workdir / "dbt", exports)
    if run.returncode != 0:
        pytest.fail("dbt build failed:\n" + run.output[-4000:])
    return {"run": run, "db": run.db, "workdir": workdir / "dbt", "exports": exports, **facts}


def _one(db: Path, sql: str, params: list | None = None):
    rows = bi.query(db, sql, params)
    assert len(rows) == 1, (sql, rows)
    return rows[0]


def _rejection(db: Path, table: str, record_id: str) -> str | None:
    rows = bi.query(db, "select rejection_reason from staging.stg_rejected_rows where table_name = ? and record_id = ?",
                    [table, record_id])
    return rows[0][0] if rows else None


def _summary(db: Path, check: str) -> dict[tuple, int]:
    rows = bi.query(db, "select source_name, table_name, detail, row_count from marts.data_quality_summary "
                        "where check_name = ?", [check])
    return {(r[0], r[1], r[2]): r[3] for r in rows}


def test_no_negative_duration_in_any_mart(built):
    """Every duration-named column of every mart, read from the warehouse itself."""
    columns = bi.query(built["db"], "select table_name, column_name from information_schema.columns "
                                    "where table_schema = 'marts' and regexp_matches(lower(column_name), "
                                    "'(^|_)(microseconds|seconds|minutes|hours|days)(_|$)')")
    assert columns
    negatives = {f"{t}.{c}": bi.query(built["db"], f'select count(*) from marts."{t}" where "{c}" < 0')[0][0]
                 for t, c in columns}
    assert {k: v for k, v in negatives.items() if v} == {}


def test_the_dbt_duration_tests_pass_and_cover_every_mart(built):
    run = bi.dbt(["test", "--select", "test_name:non_negative_durations", "assert_every_mart_checks_durations"],
                 built["workdir"], built["exports"])
    assert run.returncode == 0, run.output[-3000:]
    assert "non_negative_durations_tickets" in run.output


def test_ticket_closed_before_created_has_an_unknown_close_time(built):
    closed_at, = _one(built["db"], "select closed_at from staging.stg_gorgias__tickets where ticket_id = ?",
                      [T_CLOSED_BEFORE_CREATED])
    assert closed_at is None
    unknown, first_resolution = _one(
        built["db"], "select t.is_closed_time_unknown, m.first_resolution_calendar_minutes "
                     "from intermediate.int_ticket_threads as t join marts.tickets as m using (ticket_id) "
                     "where ticket_id = ?", [T_CLOSED_BEFORE_CREATED])
    assert unknown and first_resolution is None
    assert _summary(built["db"], "timestamp_unknown")[
        ("gorgias", "tickets", "closed_at before created_at: treated as unknown")] == 1


def test_closed_ticket_takes_its_close_time_from_its_events(built):
    solved, last_solved_at, unknown = _one(
        built["db"], "select is_solved, cast(last_solved_at as varchar), is_closed_time_unknown "
                     "from intermediate.int_ticket_threads where ticket_id = ?", [T_CLOSE_FROM_EVENT])
    assert (solved, last_solved_at, unknown) == (True, "2025-06-10 15:00:00", False)


def test_closed_ticket_without_any_close_time_is_flagged_not_open_forever(built):
    unknown, is_open, solved = _one(built["db"], "select is_closed_time_unknown, is_open, is_solved "
                                                 "from intermediate.int_ticket_threads where ticket_id = ?",
                                    [T_CLOSED_NO_TIME])
    assert (unknown, is_open, solved) == (True, False, False)
    in_backlog = bi.query(built["db"], "select count(*) from intermediate.int_backlog_daily_snapshots "
                                       "where ticket_id in (?, ?)", [T_CLOSED_NO_TIME, T_CLOSED_BEFORE_CREATED])[0][0]
    assert in_backlog == 0
    outcome, = _one(built["db"], "select resolution_sla_outcome from marts.tickets where ticket_id = ?",
                    [T_CLOSED_NO_TIME])
    assert outcome == "unknown"
    counted = _summary(built["db"], "closed_time_unknown")
    assert list(counted.values()) == [2]  # this one and the one closed "before" its creation


def test_close_event_before_creation_is_quarantined(built):
    reason = _rejection(built["db"], "ticket_events", str(EVENT_BEFORE_CREATED))
    assert reason is not None and "before its ticket was created" in reason
    first_resolution, = _one(built["db"], "select first_resolution_calendar_minutes from marts.tickets "
                                          "where ticket_id = ?", [T_EVENT_BEFORE_CREATED])
    assert first_resolution == pytest.approx(120.0)


def test_reply_within_clock_skew_counts_at_creation(built):
    frt, = _one(built["db"], "select first_response_calendar_minutes from marts.tickets where ticket_id = ?",
                [T_REPLY_IN_SKEW])
    assert frt == 0


def test_survey_scored_before_sent_is_quarantined(built):
    reason = _rejection(built["db"], "satisfaction_surveys", str(SURVEY_SCORED_BEFORE_SENT))
    assert reason is not None and "scored before it was sent" in reason


def test_refund_before_its_request_is_quarantined(built):
    reason = _rejection(built["db"], "return_requests", RETURN_REFUNDED_BEFORE)
    assert reason is not None and "refunded before it was requested" in reason


def test_approval_before_the_request_is_an_unknown_time(built):
    approved_at, refunded_at = _one(built["db"], "select approved_at, cast(refunded_at as varchar) "
                                                 "from staging.stg_returns__return_requests where return_id = ?",
                                    [RETURN_APPROVED_BEFORE])
    assert approved_at is None and refunded_at == "2025-06-12 10:00:00"
    assert _summary(built["db"], "timestamp_unknown")[
        ("returns", "return_requests", "approved_at before requested_at: treated as unknown")] == 1


def test_delivery_checkpoint_before_the_order_is_left_out(built):
    outcome, delivered_at, before = _one(
        built["db"], "select shipping_outcome, cast(delivered_at as varchar), checkpoints_before_order_count "
                     "from intermediate.int_order_shipping_outcomes where order_number = ?", [ORDER_CHECKPOINT_BEFORE])
    assert (outcome, delivered_at, before) == ("late", "2025-06-14 10:00:00", 1)


def test_shipment_before_the_order_is_shipped_at_an_unknown_time(built):
    outcome, shipped_at, before = _one(
        built["db"], "select shipping_outcome, shipped_at, shipments_before_order_count "
                     "from intermediate.int_order_shipping_outcomes where order_number = ?", [ORDER_SHIPPED_BEFORE])
    assert (outcome, shipped_at, before) == ("in_transit", None, 1)


def test_conflicting_duplicate_is_recorded_and_counted(built):
    rows = bi.query(built["db"], "select kept_file, kept_line, superseded_file, superseded_line "
                                 "from staging.stg_duplicate_conflicts where table_name = 'tickets' and record_id = ?",
                    [str(CONFLICT_TICKET)])
    assert len(rows) == 1
    kept_file, kept_line, superseded_file, superseded_line = rows[0]
    assert kept_file.endswith("tickets_zz_time.ndjson") and kept_line == 6
    assert superseded_file.endswith("gorgias/tickets.ndjson") and superseded_line == 1
    read, kept, duplicate, conflicting, rejected = _one(
        built["db"], "select rows_read, rows_kept, rows_duplicate, rows_duplicate_conflicting, rows_rejected "
                     "from staging.stg_row_reconciliation where table_name = 'tickets'")
    assert conflicting == 1 and read == kept + duplicate + rejected
    assert _summary(built["db"], "duplicate_conflicting")[("gorgias", "tickets",
        "same id and update time, different content: the later file (then line) was kept")] == 1


def test_fresher_returns_export_does_not_move_the_helpdesk_as_of(built):
    helpdesk, = _one(built["db"], "select as_of_at from intermediate.int_data_as_of where source_domain = 'helpdesk'")
    returns, = _one(built["db"], "select as_of_at from intermediate.int_data_as_of where source_domain = 'returns'")
    assert helpdesk == built["helpdesk_latest"]
    assert (returns - helpdesk).total_seconds() == 24 * 3600
    sla_as_of = {r[0] for r in bi.query(built["db"], "select distinct as_of_at from intermediate.int_ticket_sla_outcomes")}
    backlog_end = bi.query(built["db"], "select max(snapshot_at) from intermediate.int_backlog_daily_snapshots")[0][0]
    assert sla_as_of == {helpdesk} and backlog_end <= helpdesk


def test_stale_source_is_reported_and_warned(built):
    # Orders end ~52 h before the helpdesk; with returns a day later they lag the freshest by > 72 h.
    stale = {r[0] for r in bi.query(built["db"], "select source_domain from intermediate.int_data_as_of where is_stale")}
    assert stale == {"orders"}
    assert [k[0] for k in _summary(built["db"], "source_stale")] == ["orders"]
    assert "Stale source: the orders exports end at" in built["run"].output


def test_conflict_arriving_on_a_daily_run_is_recorded(tmp_path_factory):
    """The conflicting copy arrives in a later file on an incremental (daily) run of the
    staging layer: the base tables merge it in and the conflict model, a view over them,
    lists it as a full build would."""
    workdir = tmp_path_factory.mktemp("time_order_daily")
    exports = bi.copy_sample(workdir / "exports")
    audits = ["--select", "+stg_duplicate_conflicts", "+stg_row_reconciliation"]
    first = bi.dbt(["build", *audits, *bi.NO_TESTS], workdir / "dbt", exports)
    assert first.returncode == 0, first.output[-3000:]
    assert bi.query(first.db, "select count(*) from staging.stg_duplicate_conflicts")[0][0] == 0
    conflict = next(t for t in bi.read_ndjson(exports / "gorgias" / "tickets.ndjson") if t["id"] == CONFLICT_TICKET)
    (exports / "gorgias" / "tickets_zz_daily.ndjson").write_text(
        bi.ndjson_text([dict(conflict, subject=conflict["subject"] + " (re-sent)")]))
    daily = bi.dbt(["build", *audits, *bi.NO_TESTS], workdir / "dbt", exports)
    assert daily.returncode == 0, daily.output[-3000:]
    rows = bi.query(daily.db, "select kept_file, superseded_file from staging.stg_duplicate_conflicts "
                              "where table_name = 'tickets' and record_id = ?", [str(CONFLICT_TICKET)])
    assert len(rows) == 1 and rows[0][0].endswith("tickets_zz_daily.ndjson")
    conflicting, = _one(daily.db, "select rows_duplicate_conflicting from staging.stg_row_reconciliation "
                                  "where table_name = 'tickets'")
    assert conflicting == 1
