"""dashboard/queries.py on hand-made marts: rates re-divided over channels (never averaged), a
figure repeated on each channel row taken once, backlog buckets of a stock, period filters
that keep the week holding the start date. Expected values computed by hand in comments."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from dashboard import queries as q


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create schema marts")
    # March: email solved 10, FCR 9 (0.9); chat solved 90, FCR 1 (0.0111).
    con.execute("""create table marts.resolution_quality as select * from (values
        ('month', date '2025-03-01', 'email', 12, 10, 9, 5, 1, 10, 1),
        ('month', date '2025-03-01', 'chat', 95, 90, 1, 50, 5, 90, 9)
    ) as t (period_grain, period_start, channel, customer_tickets, solved_tickets, fcr_tickets,
            one_touch_tickets, repeat_contact_tickets, ever_solved_tickets, reopened_tickets)""")
    # One week (Mon 2025-03-03): 200 orders shipped, repeated on both channel rows.
    con.execute("""create table marts.wismo as select * from (values
        ('week', date '2025-03-03', 'email', 10, 50, 200),
        ('week', date '2025-03-03', 'chat', 30, 50, 200)
    ) as t (period_grain, period_start, channel, wismo_customer_tickets, customer_tickets, period_shipped_orders)""")
    # Backlog at the end of March (31st) and on the as-of day 2025-04-10 (partial), two channels.
    con.execute("""create table marts.backlog_days as select * from (values
        (date '2025-03-30', 'email', false, 99, 99, 99, 99),
        (date '2025-03-31', 'email', false, 10, 6, 3, 1),
        (date '2025-03-31', 'chat', false, 5, 1, 0, 0),
        (date '2025-04-09', 'email', false, 77, 77, 77, 77),
        (date '2025-04-10', 'email', true, 4, 2, 2, 2)
    ) as t (snapshot_date, channel, is_partial_day, open_tickets, older_than_24h_tickets,
            older_than_48h_tickets, older_than_72h_tickets)""")
    return con


def test_fcr_is_re_divided_over_channels_not_averaged(con) -> None:
    head = q.resolution_headline(con, q.Filters(grain="month"))
    # (9 + 1) / (10 + 90) = 0.1; the mean of 0.9 and 0.0111 would be 0.4556
    assert head["fcr_rate"] == pytest.approx(0.1)
    # reopen (1 + 9) / (10 + 90) = 0.1; repeat (1 + 5) / (12 + 95) = 0.05607
    assert head["reopen_rate"] == pytest.approx(0.1)
    assert head["repeat_contact_rate"] == pytest.approx(6 / 107)
    email = q.resolution_headline(con, q.Filters(grain="month", channels=("email",)))
    assert email["fcr_rate"] == pytest.approx(0.9)


def test_shipped_orders_repeated_per_channel_count_once(con) -> None:
    head = q.wismo_headline(con, q.Filters(grain="week"))
    # 100 x (10 + 30) / 200 = 20 (summing the repeated 200 twice would give 10)
    assert head["wismo_per_100_shipped_orders"] == pytest.approx(20.0)
    # (10 + 30) / (50 + 50) = 0.4
    assert head["wismo_contact_rate"] == pytest.approx(0.4)


def test_monthly_backlog_is_the_month_end_stock_in_age_buckets(con) -> None:
    backlog = q.backlog_aging(con, q.Filters(grain="month")).set_index("period_start")
    march = backlog.loc[pd.Timestamp(2025, 3, 1)]
    # 31 March: 10 + 5 = 15 open; older than 24 h 6 + 1 = 7 -> up to 24 h 8; 24-48 h (6 - 3) + (1 - 0) = 4;
    # 48-72 h (3 - 1) + 0 = 2; over 72 h 1. The 30 March snapshot is not a month end.
    assert (march.open_tickets, march.up_to_24h_tickets, march.from_24h_to_48h_tickets,
            march.from_48h_to_72h_tickets, march.older_than_72h_tickets) == (15, 8, 4, 2, 1)
    assert march.older_than_24h_share == pytest.approx(7 / 15)
    april = backlog.loc[pd.Timestamp(2025, 4, 1)]  # the running month: its as-of day, flagged partial
    assert (april.open_tickets, bool(april.is_partial_period)) == (4, True)


def test_start_date_keeps_the_period_that_holds_it(con) -> None:
    # Starting Wednesday 2025-03-05 keeps the week of Monday 2025-03-03.
    assert q.wismo_headline(con, q.Filters(grain="week", start=date(2025, 3, 5)))["wismo_customer_tickets"] == 40
    assert pd.isna(q.wismo_headline(con, q.Filters(grain="week", start=date(2025, 3, 10)))["wismo_customer_tickets"])


def test_unknown_grain_is_refused() -> None:
    with pytest.raises(ValueError, match="grain"):
        q.Filters(grain="quarter")


@pytest.mark.parametrize("page", list(q.PAGE_QUERIES))
def test_page_timing_runs_what_the_page_runs(page: str) -> None:
    """The benchmark times PAGE_QUERIES: it must list exactly the queries the page fetches."""
    import re
    from pathlib import Path

    source = (Path(q.__file__).parent / "pages" / f"{page}.py").read_text()
    fetched = set(re.findall(r"ui\.fetch\(q\.([a-z_]+)", source))
    assert fetched == {fn.__name__ for fn, *_ in q.PAGE_QUERIES[page]}
