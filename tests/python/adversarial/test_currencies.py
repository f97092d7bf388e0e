"""Money in several currencies (issue 13 §1): amounts are never summed across currencies.

One export folder, one whole-project build (~1 min), on a copy of the project whose seed
fx_rates holds two rates to USD for 2025-01 (JPY 0.0065, EUR 1.10) and none for 2025-02.
On top of data/sample (all USD):
  - finance: a chat_team yen line of 1,500,000 JPY in 2025-01 (rate: converted to 9,750.00 USD)
    and the same line in 2025-02 (no rate: quarantined);
  - returns: a 40.00 EUR refund paid in 2025-01 (converted to 44.00 USD) and a 30.00 EUR
    refund paid in 2025-02 (no rate: quarantined).
Before this change staging kept the yen line as if it were dollars: the one 2025-02 line
alone made that month's cost per contact about ten times too high, and the headline cost
per contact added 3,000,000 yen to 139,558.70 dollars.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

import bad_inputs as bi

pytestmark = pytest.mark.dbt_build

YEN = Decimal("1500000.00")
JPY_RATE = Decimal("0.0065")  # USD per yen in 2025-01
EUR_RATE = Decimal("1.10")  # USD per euro in 2025-01
FX_SEED = "currency,reporting_currency,month_start,rate_to_reporting\nJPY,USD,2025-01-01,0.0065\nEUR,USD,2025-01-01,1.10\n"
COSTS_FILE = "support_costs_zz_fx.csv"
RETURNS_FILE = "return_requests_zz_fx.csv"


def _plant(exports: Path) -> None:
    header = bi.csv_header(exports / "finance" / "support_costs.csv")
    (exports / "finance" / COSTS_FILE).write_text(bi.csv_text([
        header,
        ["2025-01", "chat_team", "outsourcing_jp", str(YEN), "JPY"],
        ["2025-02", "chat_team", "outsourcing_jp", str(YEN), "JPY"],
    ]))
    header = bi.csv_header(exports / "returns" / "return_requests.csv")
    template = {
        "order_name": "#1021", "customer_email": "planted.fx@example.com", "type": "refund",
        "reason": "Arrived damaged", "status": "refunded", "approved_at": "", "received_at": "",
        "currency": "EUR", "helpdesk_ticket_id": "",
    }
    rows = [
        dict(template, return_id="RET-9998001", requested_at="2025-01-10T10:00:00Z",
             refunded_at="2025-01-12T10:00:00Z", updated_at="2025-01-12T10:00:00Z", refund_amount="40.00"),
        dict(template, return_id="RET-9998002", requested_at="2025-02-10T10:00:00Z",
             refunded_at="2025-02-12T10:00:00Z", updated_at="2025-02-12T10:00:00Z", refund_amount="30.00"),
    ]
    (exports / "returns" / RETURNS_FILE).write_text(
        bi.csv_text([header, *[[row[col] for col in header] for row in rows]]))


def _usd_ledger(exports: Path) -> dict[str, Decimal]:
    """The sample's own USD ledger per month, read with the csv module (restated lines
    included as the later line wins: the sample's 2025-11/12 restatements)."""
    lines: dict[tuple[str, str, str], Decimal] = {}
    with (exports / "finance" / "support_costs.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["currency"] == "USD":
                lines[(row["month"], row["team"], row["cost_category"])] = Decimal(row["amount"])
    months: dict[str, Decimal] = {}
    for (month, _, _), amount in lines.items():
        months[month] = months.get(month, Decimal(0)) + amount
    return months


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("currencies")
    exports = bi.copy_sample(workdir / "exports")
    _plant(exports)
    project = bi.copy_project(workdir / "project")
    (project / "seeds" / "finance").mkdir(exist_ok=True)  # (absent before this change)
    (project / "seeds" / "finance" / "fx_rates.csv").write_text(FX_SEED)
    run = bi.dbt(["build", *bi.NO_TESTS], workdir / "dbt", exports, project=project)
    assert run.returncode == 0, run.output[-3000:]
    return {"run": run, "exports": exports, "db": run.db}


def test_rows_without_a_rate_are_quarantined_with_the_reason(built):
    rejected = bi.query(built["db"], """
        select table_name, source_file, source_line, rejection_reason
        from staging.stg_rejected_rows
        where source_file like '%zz_fx%' order by table_name""")
    assert [(r[0], Path(r[1]).name, r[2], r[3]) for r in rejected] == [
        ("return_requests", RETURNS_FILE, 2, "no FX rate for EUR in 2025-02 to USD (seed fx_rates)"),
        ("support_costs", COSTS_FILE, 2, "no FX rate for JPY in 2025-02 to USD (seed fx_rates)"),
    ]


def test_reconciliation_counts_every_planted_row(built):
    file_rows = bi.file_row_counts(built["exports"])
    for source, table in (("finance", "support_costs"), ("returns", "return_requests")):
        read, kept, duplicate, rejected = bi.query(built["db"], """
            select rows_read, rows_kept, rows_duplicate, rows_rejected
            from staging.stg_row_reconciliation where source_name = ? and table_name = ?""",
                                                   [source, table])[0]
        assert read == kept + duplicate + rejected == file_rows[(source, table)]


def test_finance_ties_to_the_ledger_per_currency(built):
    ledger = _usd_ledger(built["exports"])
    reported = dict(((m.strftime("%Y-%m"), c), (a, r)) for m, c, a, r in bi.query(built["db"], """
        select cost_month_start, currency, sum(allocated_cost), sum(allocated_cost_reporting)
        from marts.cost_per_resolution group by all"""))
    for month, amount in ledger.items():
        assert reported[(month, "USD")] == (amount, amount), month
    # the yen line with a rate: in yen, and converted once (1,500,000 x 0.0065 = 9,750.00)
    assert reported[("2025-01", "JPY")] == (YEN, YEN * JPY_RATE)
    assert {key for key in reported if key[1] != "USD"} == {("2025-01", "JPY")}


def test_cost_per_contact_is_not_inflated(built):
    db = built["db"]
    # 2025-02 (yen line quarantined): the USD ledger over that month's costed tickets
    usd_feb = _usd_ledger(built["exports"])["2025-02"]
    cost, tickets = bi.query(db, """
        select sum(allocated_cost_reporting), count(*) from marts.tickets
        where cost_month_start = '2025-02-01' and allocated_cost_reporting is not null""")[0]
    unallocated = bi.query(db, """
        select coalesce(sum(allocated_cost), 0) from marts.cost_per_resolution
        where cost_month_start = '2025-02-01' and is_unallocated""")[0][0]
    assert cost == usd_feb - unallocated
    # 2025-01 (yen converted): exactly 9,750.00 USD more than the dollar pools carry
    usd_jan, jpy_jan_usd, handled_usd = bi.query(db, """
        select
            sum(allocated_cost) filter (where currency = 'USD'),
            sum(allocated_cost_reporting) filter (where currency = 'JPY'),
            sum(handled_customer_tickets) filter (where currency = 'USD')
        from marts.cost_per_resolution
        where cost_month_start = '2025-01-01' and not is_unallocated""")[0]
    assert jpy_jan_usd == YEN * JPY_RATE
    cost, tickets, mixed = bi.query(db, """
        select sum(allocated_cost_reporting), count(*), count(*) filter (where cost_currency = 'JPY,USD')
        from marts.tickets where cost_month_start = '2025-01-01' and allocated_cost_reporting is not null""")[0]
    assert cost == usd_jan + jpy_jan_usd
    assert tickets == handled_usd  # every chat ticket also carries USD cost: counted once
    assert mixed > 0
    # The ticket's ledger-currency cost is never a sum of yen and dollars.
    assert bi.query(db, """
        select count(*) from marts.tickets where cost_currency like '%,%' and allocated_cost is not null""")[0][0] == 0
    # The whole-history cost per contact (analyses/headline_figures.sql) moves by the
    # converted yen only, nowhere near the ~10x of yen counted as dollars.
    total, costed = bi.query(db, """
        select sum(allocated_cost_reporting), count(*) from marts.tickets
        where allocated_cost_reporting is not null""")[0]
    usd_total = bi.query(db, """
        select sum(allocated_cost) from marts.cost_per_resolution where currency = 'USD' and not is_unallocated""")[0][0]
    assert total == usd_total + YEN * JPY_RATE
    assert total / costed < Decimal("1.1") * usd_total / costed


def test_refunds_keep_their_currency_beside_the_reporting_amount(built):
    db = built["db"]
    assert bi.query(db, """
        select currency, refund_amount, reporting_currency, fx_rate_to_reporting, refund_amount_reporting
        from marts.refund_requests where return_id = 'RET-9998001'""") == [
        ("EUR", Decimal("40.00"), "USD", EUR_RATE, Decimal("40.00") * EUR_RATE)]
    assert bi.query(db, "select count(*) from marts.refund_requests where return_id = 'RET-9998002'")[0][0] == 0
    # refunds per ticket reason: the euro refund on its own row, never added to dollars
    rows = bi.query(db, """
        select currency, sum(refunded_amount), sum(refunded_amount_reporting) from marts.refunds_by_ticket_reason
        where period_grain = 'month' and period_start = '2025-01-01' group by currency order by currency""")
    assert rows[0] == ("EUR", Decimal("40.00"), Decimal("44.00"))
    assert rows[1][0] == "USD" and rows[1][1] == rows[1][2]
