"""Issue 13: amounts written with a decimal comma, and files whose convention is unclear.

One exports folder (a copy of data/sample), staging only (`+path:models/staging`, no data
tests), compared with the clean build shared by the bad-input suite:
  - the finance ledger, the main returns file and the Shopify orders file are rewritten in the
    decimal-comma convention (`2.618,28`, `49,46`, `18,00`), while the returns re-export file
    keeps decimal points (the convention is detected per file): every stg_* model must hash
    equal to the clean build's, and the ledger totals per currency must be equal;
  - planted returns / time-entry files (new ids) whose convention is undecided (`2.697`,
    `1,250`, `15` only) or mixed (`1,234.56` and `1.234,56`): exactly their ambiguous rows are
    quarantined ("ambiguous decimal separator"); a decided file reads its ambiguous values by its
    convention (`2.697` in a decimal-comma file is 2697.00). Expected values are by hand.
On the code before issue 13, `2.618,28` was "non-numeric" (all finance rows rejected) and `2.697`
was silently read as 2.70 whatever the file.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import bad_inputs as bi

pytestmark = pytest.mark.dbt_build


def decimal_comma(text: str) -> str:
    """`2618.28` -> `2.618,28`, `-99.99` -> `-99,99`; blank and non-numbers unchanged."""
    value = text.strip()
    sign, digits = ("-", value[1:]) if value.startswith("-") else ("", value)
    whole, _, fraction = digits.partition(".")
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        return text
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + fraction if fraction else "")


AMOUNT_COLUMNS = {
    "finance/support_costs.csv": ["amount"],
    "returns/return_requests.csv": ["refund_amount"],
    "shopify/orders.csv": ["Subtotal", "Shipping", "Taxes", "Total", "Discount Amount", "Refunded Amount",
                           "Lineitem price"],
}


def rewrite_decimal_comma(exports: Path) -> None:
    for file_name, columns in AMOUNT_COLUMNS.items():
        header, rows = bi.read_csv_rows(exports / file_name)
        positions = [header.index(column) for column in columns]
        for row in rows:
            for position in positions:
                row[position] = decimal_comma(row[position])
        (exports / file_name).write_text(bi.csv_text([header, *rows]))


AMBIGUOUS = "ambiguous decimal separator"
# planted file -> [(id, amount as written, staged amount by hand or None when quarantined)]
PLANTED_RETURNS = {
    "return_requests_zz_undecided.csv": [  # no value settles the convention
        ("RET-9998201", "2.697", None),
        ("RET-9998202", "1,250", None),
        ("RET-9998203", "15", Decimal("15.00")),
        ("RET-9998204", "", None),
    ],
    "return_requests_zz_mixed.csv": [  # both conventions occur: only self-evident values read
        ("RET-9998211", "1,234.56", Decimal("1234.56")),
        ("RET-9998212", "1.234,56", Decimal("1234.56")),
        ("RET-9998213", "2.697", None),
        ("RET-9998214", "12,50", Decimal("12.50")),
    ],
    "return_requests_zz_comma.csv": [  # `12,50` settles it: `2.697` is 2697
        ("RET-9998221", "2.697", Decimal("2697.00")),
        ("RET-9998222", "12,50", Decimal("12.50")),
    ],
}
QUARANTINED_RETURNS = {"RET-9998201", "RET-9998202", "RET-9998213"}
PLANTED_ENTRIES = [("TT-99998201", "1.234", None), ("TT-99998202", "429", 429)]  # undecided file
QUARANTINED_ENTRIES = {"TT-99998201"}


def plant_ambiguous_files(exports: Path) -> None:
    header, rows = bi.read_csv_rows(exports / "returns" / "return_requests.csv")
    template = dict(zip(header, rows[0]), status="requested", approved_at="", received_at="", refunded_at="",
                    helpdesk_ticket_id="")
    for file_name, planted in PLANTED_RETURNS.items():
        (exports / "returns" / file_name).write_text(bi.csv_text([
            header, *[[dict(template, return_id=rid, refund_amount=amount)[c] for c in header]
                      for rid, amount, _ in planted]]))
    header, rows = bi.read_csv_rows(exports / "time_tracking" / "ticket_time_entries.csv")
    template = dict(zip(header, rows[0]))
    (exports / "time_tracking" / "ticket_time_entries_zz_undecided.csv").write_text(bi.csv_text([
        header, *[[dict(template, entry_id=eid, duration_seconds=seconds)[c] for c in header]
                  for eid, seconds, _ in PLANTED_ENTRIES]]))


@pytest.fixture(scope="module")
def formatted(tmp_path_factory, baseline):
    workdir = tmp_path_factory.mktemp("number_formats")
    exports = bi.copy_sample(workdir / "exports")
    rewrite_decimal_comma(exports)
    plant_ambiguous_files(exports)
    run = bi.dbt(["build", "--select", "+path:models/staging", *bi.NO_TESTS], workdir / "dbt", exports)
    assert run.returncode == 0, run.output[-3000:]
    return {"run": run, "exports": exports}


WITHOUT_PLANTED = {
    "stg_returns__return_requests": "select * from staging.stg_returns__return_requests "
                                    "where return_id not like 'RET-99982%'",
    "stg_time_tracking__ticket_time_entries": "select * from staging.stg_time_tracking__ticket_time_entries "
                                              "where time_entry_id not like 'TT-99998%'",
}


def test_decimal_comma_files_stage_the_same_figures(formatted, baseline):
    """Finance, returns and orders in decimal-comma convention: every staged value as clean."""
    differ = bi.staging_differences(formatted["run"].db, baseline, WITHOUT_PLANTED)
    assert not differ, f"staging models changed by a decimal comma: {differ}"


def test_ledger_totals_per_currency_are_equal(formatted, baseline):
    sql = "select currency, sum(amount), count(*) from staging.stg_finance__support_costs group by 1 order by 1"
    assert bi.query(formatted["run"].db, sql) == bi.query(baseline["run"].db, sql)


def test_exactly_the_ambiguous_rows_are_quarantined(formatted):
    rows = bi.query(formatted["run"].db,
                    "select record_id, rejection_reason from staging.stg_rejected_rows "
                    "where source_file like '%\\_zz\\_%' escape '\\'")
    assert {record_id for record_id, _ in rows} == QUARANTINED_RETURNS | QUARANTINED_ENTRIES, rows
    assert all(AMBIGUOUS in reason for _, reason in rows), rows


def test_planted_values_read_by_their_files_convention(formatted):
    staged = dict(bi.query(formatted["run"].db, "select return_id, refund_amount from staging.stg_returns__return_requests "
                                                "where return_id like 'RET-99982%'"))
    expected = {rid: amount for planted in PLANTED_RETURNS.values() for rid, _, amount in planted
                if rid not in QUARANTINED_RETURNS}
    assert staged == expected
    entries = dict(bi.query(formatted["run"].db, "select time_entry_id, duration_seconds "
                                                 "from staging.stg_time_tracking__ticket_time_entries "
                                                 "where time_entry_id like 'TT-99998%'"))
    assert entries == {eid: seconds for eid, _, seconds in PLANTED_ENTRIES if eid not in QUARANTINED_ENTRIES}


def test_file_conventions_are_detected_per_file(formatted):
    conventions = dict(bi.query(
        formatted["run"].db,
        "select regexp_extract(source_file, '[^/]+$'), any_value(number_convention) "
        "from staging.base_returns__return_requests group by 1"))
    assert conventions == {
        "return_requests.csv": "decimal_comma",
        "return_requests_reexport.csv": "decimal_point",
        "return_requests_zz_undecided.csv": "undecided",
        "return_requests_zz_mixed.csv": "mixed",
        "return_requests_zz_comma.csv": "decimal_comma",
    }
