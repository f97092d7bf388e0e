"""Issue 13: order numbers and ticket ids as spreadsheets and people write them.

One exports folder (a copy of data/sample), staging only (`+path:models/staging`, no data
tests), compared with the clean build shared by the bad-input suite:
  - every order number / order id / ticket id of every export column that carries one is
    rewritten in a spelling whose number is CERTAIN (`'1002`, ` 1002 `, `1002.0`, `1,002`,
    `1.002E+03`, `="1002"`, `'#1002`, ...; a different spelling on each line of the same Shopify
    order): every staged row must join to the same order / ticket as in the clean build, i.e.
    every stg_* model hashes equal;
  - rows whose number is NOT certain (`1.0E+03`: a 4-digit number shown with 2 digits;
    `5.1E+12`: a 13-digit Shopify id; `1,000`: 1000 or 1) are planted with new ids in `_zz_`
    files: each is quarantined with "looks like a spreadsheet-mangled ..." and a return is never
    called an "unknown order" for it; an uncertain helpdesk `Order number` field is ignored (the
    ticket is kept, flagged).
On the code before issue 13, `'1002` and ` 1002.0` made returns "unknown order", `1.002E+03` in the
helpdesk field became order 100203, and `5.100000000007E+12` was a "non-numeric order_id".
"""

from __future__ import annotations

from pathlib import Path

import pytest

import bad_inputs as bi

pytestmark = pytest.mark.dbt_build


# ---------------------------------------------------------------- spellings

def _scientific(digits: str) -> str:
    """Every digit shown: mantissa fraction digits = exponent, so the number is exact."""
    return f"{digits[0]}.{digits[1:]}E+{len(digits) - 1:02d}"


def _thousands(digits: str) -> str:
    number = int(digits)
    # `2,000` reads as 2000 or as 2 (three decimals): not certain, so never planted as certain
    return f"{number:,}" if not (number % 1000 == 0 and number < 1_000_000) else f"{digits}.0"


CERTAIN_SPELLINGS = [
    lambda d: f"'{d}",
    lambda d: f"#{d}",
    lambda d: f" {d} ",
    lambda d: f"{d}.0",
    _thousands,
    _scientific,
    lambda d: f'="{d}"',
    lambda d: f"'#{d}",
    lambda d: f"{d},00",
]


def spell(value: str, index: int) -> str:
    """The same number in the index-th certain spelling (blank stays blank)."""
    digits = value.strip().lstrip("#")
    if not digits:
        return value
    assert digits.isdigit(), value
    return CERTAIN_SPELLINGS[index % len(CERTAIN_SPELLINGS)](digits)


def _rewrite_csv(path: Path, columns: list[str]) -> None:
    header, rows = bi.read_csv_rows(path)
    for index, row in enumerate(rows):
        for offset, column in enumerate(columns):
            position = header.index(column)
            row[position] = spell(row[position], index + offset)
    path.write_text(bi.csv_text([header, *rows]))


# (file, columns) of every export column that carries an order number, order id or ticket id
ID_COLUMNS = [
    ("shopify/orders.csv", ["Name", "Id"]),
    ("shipping/fulfillments.csv", ["order_id", "order_name"]),
    ("shipping/notifications.csv", ["order_name"]),
    ("returns/return_requests.csv", ["order_name", "helpdesk_ticket_id"]),
    ("returns/return_requests_reexport.csv", ["order_name", "helpdesk_ticket_id"]),
    ("time_tracking/ticket_time_entries.csv", ["ticket_id"]),
]


def rewrite_certain_spellings(exports: Path) -> None:
    for file_name, columns in ID_COLUMNS:
        _rewrite_csv(exports / file_name, columns)
    tickets_path = exports / "gorgias" / "tickets.ndjson"
    tickets = bi.read_ndjson(tickets_path)
    for index, ticket in enumerate(tickets):
        for field in ticket.get("custom_fields") or []:
            if field["name"].lower() == "order number" and field["value"]:
                field["value"] = spell(field["value"], index)
    tickets_path.write_text(bi.ndjson_text(tickets))


# ---------------------------------------------------------------- uncertain spellings

MANGLED_ORDER = "spreadsheet-mangled order number"
MANGLED_TICKET = "spreadsheet-mangled ticket id"
# An id in another notation (hexadecimal, binary, digit groups with `_`): DuckDB's cast reads
# `0x1F` as 31, `0b101` as 5, `1_000` as 1000, another ticket's or order's id.
NOT_DECIMAL = "non-numeric"


def plant_uncertain_spellings(exports: Path) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """New rows (new ids) whose order number or ticket id cannot be recovered, or is written
    in another notation than decimal digits (NOT_DECIMAL); returns
    (source, table) -> [(record_id, reason substring)], and marks one clean ticket's
    `Order number` field as `1.0E+03` (its number lost; the ticket had no such field)."""
    planted: dict[tuple[str, str], list[tuple[str, str]]] = {}

    header, rows = bi.read_csv_rows(exports / "returns" / "return_requests.csv")
    template = dict(zip(header, rows[0]))  # order #1021, ticket 20000040, both known
    returns = [
        dict(template, return_id="RET-9998101", order_name="1.0E+03"),
        dict(template, return_id="RET-9998102", order_name="1,000"),
        dict(template, return_id="RET-9998103", order_name="1021.5"),
        dict(template, return_id="RET-9998104", helpdesk_ticket_id="2.0E+07"),
        dict(template, return_id="RET-9998105", helpdesk_ticket_id="0x1F"),
    ]
    (exports / "returns" / "return_requests_zz_mangled.csv").write_text(
        bi.csv_text([header, *[[row[c] for c in header] for row in returns]]))
    planted[("returns", "return_requests")] = [
        ("RET-9998101", MANGLED_ORDER), ("RET-9998102", MANGLED_ORDER), ("RET-9998103", MANGLED_ORDER),
        ("RET-9998104", MANGLED_TICKET), ("RET-9998105", NOT_DECIMAL),
    ]

    header, rows = bi.read_csv_rows(exports / "shipping" / "fulfillments.csv")
    template = dict(zip(header, rows[0]))
    fulfillments = [
        dict(template, fulfillment_id="FUL-998101", order_id="5.1E+12"),
        dict(template, fulfillment_id="FUL-998102", order_name="1.0E+03"),
        dict(template, fulfillment_id="FUL-998103", order_id="1_000"),
    ]
    (exports / "shipping" / "fulfillments_zz_mangled.csv").write_text(
        bi.csv_text([header, *[[row[c] for c in header] for row in fulfillments]]))
    planted[("shipping", "fulfillments")] = [
        ("FUL-998101", MANGLED_ORDER), ("FUL-998102", MANGLED_ORDER), ("FUL-998103", NOT_DECIMAL),
    ]

    header, rows = bi.read_csv_rows(exports / "shipping" / "notifications.csv")
    template = dict(zip(header, rows[0]))
    (exports / "shipping" / "notifications_zz_mangled.csv").write_text(bi.csv_text([
        header, [dict(template, notification_id="NTF-99998101", order_name="2,000")[c] for c in header]]))
    planted[("shipping", "notifications")] = [("NTF-99998101", MANGLED_ORDER)]

    header, rows = bi.read_csv_rows(exports / "shopify" / "orders.csv")
    template = dict(zip(header, rows[0]))
    orders = [
        dict(template, Name="1.0E+04", Id="5199999998101"),
        dict(template, Name="#999102", Id="5.2E+12"),
        dict(template, Name="#999103", Id="0x1F"),
    ]
    (exports / "shopify" / "orders_zz_mangled.csv").write_text(
        bi.csv_text([header, *[[row[c] for c in header] for row in orders]]))
    planted[("shopify", "orders")] = [
        ("5199999998101", MANGLED_ORDER), ("5.2E+12", MANGLED_ORDER), ("0x1F", NOT_DECIMAL),
    ]

    header, rows = bi.read_csv_rows(exports / "time_tracking" / "ticket_time_entries.csv")
    template = dict(zip(header, rows[0]))
    (exports / "time_tracking" / "ticket_time_entries_zz_mangled.csv").write_text(bi.csv_text([
        header, *[[dict(template, entry_id=entry_id, ticket_id=ticket_id)[c] for c in header]
                  for entry_id, ticket_id in (("TT-99998101", "2.0E+07"), ("TT-99998102", "0b101"))]]))
    planted[("time_tracking", "ticket_time_entries")] = [("TT-99998101", MANGLED_TICKET), ("TT-99998102", NOT_DECIMAL)]
    return planted


def mangle_one_ticket_field(exports: Path) -> int:
    """Gives one clean ticket without any `Order number` field the field `1.0E+03`."""
    tickets_path = exports / "gorgias" / "tickets.ndjson"
    tickets = bi.read_ndjson(tickets_path)
    resent = {t["id"] for path in (exports / "gorgias").glob("tickets_*.ndjson") for t in bi.read_ndjson(path)}
    ticket = next(t for t in tickets if t["id"] not in resent and not t.get("custom_fields"))
    ticket["custom_fields"] = [{"name": "Order number", "value": "1.0E+03"}]
    tickets_path.write_text(bi.ndjson_text(tickets))
    return ticket["id"]


# ---------------------------------------------------------------- the build

@pytest.fixture(scope="module")
def spelled(tmp_path_factory, baseline):
    workdir = tmp_path_factory.mktemp("identifiers")
    exports = bi.copy_sample(workdir / "exports")
    rewrite_certain_spellings(exports)
    planted = plant_uncertain_spellings(exports)
    mangled_ticket = mangle_one_ticket_field(exports)
    run = bi.dbt(["build", "--select", "+path:models/staging", *bi.NO_TESTS], workdir / "dbt", exports)
    assert run.returncode == 0, run.output[-3000:]
    return {"run": run, "exports": exports, "planted": planted, "mangled_ticket": mangled_ticket}


TICKETS_WITHOUT_FLAG = "select * exclude (has_mangled_order_number_field) from staging.stg_gorgias__tickets"


def test_certain_spellings_join_to_the_same_orders_and_tickets(spelled, baseline):
    """Every staged row (order numbers, order ids, ticket ids, the helpdesk field) equals the
    clean build's, so every join downstream finds the same order or ticket."""
    differ = bi.staging_differences(spelled["run"].db, baseline, {"stg_gorgias__tickets": TICKETS_WITHOUT_FLAG})
    assert not differ, f"staging models changed by a mere spelling of an id: {differ}"


def test_no_return_is_an_unknown_order_because_of_its_spelling(spelled, baseline):
    sql = ("select count(*) from staging.stg_rejected_rows where table_name = 'return_requests' "
           "and rejection_reason like '%unknown order%'")
    assert bi.query(spelled["run"].db, sql) == bi.query(baseline["run"].db, sql)


def test_uncertain_spellings_are_quarantined_as_mangled(spelled):
    problems = []
    for (source_name, table_name), expected in spelled["planted"].items():
        rows = dict(bi.query(
            spelled["run"].db,
            "select record_id, rejection_reason from staging.stg_rejected_rows "
            "where source_name = ? and table_name = ? and source_file like '%\\_zz\\_mangled%' escape '\\'",
            [source_name, table_name]))
        for record_id, reason in expected:
            got = rows.get(record_id)
            if got is None or reason not in got or "unknown order" in got:
                problems.append(f"{source_name}.{table_name} {record_id}: expected {reason!r}, got {got!r}")
    assert not problems, "\n".join(problems)


def test_reconciliation_counts_the_quarantined_rows(spelled, baseline):
    def counts(db):
        return {(r[0], r[1]): r[2:] for r in bi.query(
            db, "select source_name, table_name, rows_read, rows_kept, rows_duplicate, rows_rejected "
                "from staging.stg_row_reconciliation")}
    spelled_counts, clean = counts(spelled["run"].db), counts(baseline["run"].db)
    for key, (read, kept, duplicate, rejected) in spelled_counts.items():
        added = len(spelled["planted"].get(key, []))
        assert read == kept + duplicate + rejected, key
        assert (read, kept, rejected) == (clean[key][0] + added, clean[key][1], clean[key][3] + added), key


def test_uncertain_helpdesk_order_field_is_ignored_and_flagged(spelled):
    rows = bi.query(spelled["run"].db, "select ticket_id, order_number_field from staging.stg_gorgias__tickets "
                                       "where has_mangled_order_number_field")
    assert rows == [(spelled["mangled_ticket"], None)]
