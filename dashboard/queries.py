"""The dashboard's query layer: pure functions of a read-only DuckDB connection and the filters.

Every rate is re-divided from the marts' numerators and denominators summed over the rows the
filters select (channels, reasons, periods), never averaged; medians and percentiles cannot be
re-aggregated, so they are only shown per channel, as the marts hold them. Pages only draw
what these functions return; tests/python/test_dashboard_queries.py checks them against the
marts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

GRAINS = ("day", "week", "month")


@dataclass(frozen=True)
class Filters:
    """What the sidebar selects. Empty channels/reasons = all of them; start/end bound period_start."""

    grain: str = "month"
    channels: tuple[str, ...] = field(default_factory=tuple)
    reasons: tuple[str, ...] = field(default_factory=tuple)
    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.grain not in GRAINS:
            raise ValueError(f"grain must be one of {GRAINS}, not {self.grain!r}")


def warehouse_path() -> Path:
    """The published BI copy: $SUPPORT_KPIS_BI_DB, else <$SUPPORT_KPIS_DB>_bi.duckdb (support_kpis.publish)."""
    explicit = os.environ.get("SUPPORT_KPIS_BI_DB")
    if explicit:
        return Path(explicit)
    from support_kpis.publish import default_targets, default_warehouse

    return default_targets(default_warehouse())[0]


def connect(path: Path | str) -> duckdb.DuckDBPyConnection:
    """Read-only: the dashboard never writes, and never takes the write lock a build needs."""
    if not Path(path).is_file():
        raise FileNotFoundError(
            f"{path}: no published warehouse; run `bash scripts/build.sh` (it publishes the marts) first"
        )
    return duckdb.connect(str(path), read_only=True)


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> pd.DataFrame:
    return con.execute(sql, params).df()


def _where(
    f: Filters,
    *,
    period: str | None = "period_start",
    grain: str | None = "period_grain",
    channel: str | None = "channel",
    reason: str | None = None,
    unit: str | None = None,
) -> tuple[str, list]:
    """A where clause for the filters on the columns a mart has (None = the mart has no such column).

    A period is kept when it contains any selected date: the week or month that holds the
    start date is in (unit = the period's length: the selected grain, or the mart's own).
    """
    clauses, params = ["true"], []
    if grain:
        clauses.append(f"{grain} = ?")
        params.append(f.grain)
    if period and f.start:
        clauses.append(f"{period} >= date_trunc(?, ?::date)")
        params += [unit or f.grain, f.start]
    if period and f.end:
        clauses.append(f"{period} <= ?")
        params.append(f.end)
    if channel and f.channels:
        clauses.append(f"{channel} in (select unnest(?))")
        params.append(list(f.channels))
    if reason and f.reasons:
        clauses.append(f"{reason} in (select unnest(?))")
        params.append(list(f.reasons))
    return " and ".join(clauses), params


def _ratio(numerator: str, denominator: str) -> str:
    return f"sum({numerator}) / nullif(sum({denominator}), 0)"


def _headline(con: duckdb.DuckDBPyConnection, mart: str, sums: str, f: Filters, **where) -> dict[str, object]:
    """One row of a mart's sums over the filtered rows (where: _where's column arguments)."""
    clause, params = _where(f, **where)
    return _df(con, f"select {sums} from marts.{mart} where {clause}", params).iloc[0].to_dict()


def _trend(con: duckdb.DuckDBPyConnection, mart: str, sums: str, f: Filters, period: str = "period_start",
           **where) -> pd.DataFrame:
    """A mart's sums per period over the filtered rows (period: the mart's period column)."""
    clause, params = _where(f, period=period, **where)
    return _df(con, f"""
        select {period}, {sums}
        from marts.{mart} where {clause}
        group by {period} order by {period}""", params)


# ------------------------------------------------------------------ filters' choices

def filter_choices(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """Channels, contact reasons and the period range present in the marts."""
    channels = [r[0] for r in con.execute(
        "select distinct channel from marts.speed_and_accessibility order by 1").fetchall()]
    reasons = [r[0] for r in con.execute(
        "select distinct contact_reason from marts.ticket_volume order by 1").fetchall()]
    # Every dated mart's first and last day, so the default range is the whole history of all of them.
    first, last = con.execute("""
        select min(first_date), max(last_date) from (
            select min(period_start) as first_date, max(period_start) as last_date
            from marts.speed_and_accessibility where period_grain = 'day'
            union all
            select min(period_start), max(period_start) from marts.customer_experience where period_grain = 'day'
            union all
            select min(period_start), max(period_start) from marts.refund_rate where period_grain = 'day'
            union all
            select min(period_start), max(period_start) from marts.refunds_and_returns where period_grain = 'day'
            union all
            select min(snapshot_date), max(snapshot_date) from marts.backlog_days
            union all
            select min(cost_month_start), last_day(max(cost_month_start)) from marts.cost_per_resolution
            union all
            select min(month_start), last_day(max(month_start)) from marts.nps_monthly
            union all
            select min(order_month_start), last_day(max(order_month_start)) from marts.wismo_deflection
        )""").fetchone()
    return {"channels": channels, "reasons": reasons, "first_date": first, "last_date": last}


def publication(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """When the copy was published (support_kpis.publish); empty when the file is not a publication."""
    try:
        row = con.execute("select published_at, marts from main.publication").fetchone()
    except duckdb.CatalogException:
        return {}
    return {"published_at": row[0], "marts": row[1]}


# ------------------------------------------------------------------ 1. speed and accessibility

_SPEED_SUMS = """
    sum(customer_tickets) as customer_tickets,
    sum(answered_tickets) as answered_tickets,
    sum(frt_within_target_tickets) as frt_within_target_tickets,
    sum(frt_target_decided_tickets) as frt_target_decided_tickets,
    {frt} as frt_within_target_rate,
    sum(first_response_sla_met_tickets) as first_response_sla_met_tickets,
    sum(first_response_sla_met_tickets + first_response_sla_breached_tickets) as first_response_sla_decided_tickets,
    {fr_sla} as first_response_sla_compliance_rate,
    sum(resolution_sla_met_tickets) as resolution_sla_met_tickets,
    sum(resolution_sla_met_tickets + resolution_sla_breached_tickets) as resolution_sla_decided_tickets,
    {res_sla} as resolution_sla_compliance_rate
""".format(
    frt=_ratio("frt_within_target_tickets", "frt_target_decided_tickets"),
    fr_sla=_ratio("first_response_sla_met_tickets", "first_response_sla_met_tickets + first_response_sla_breached_tickets"),
    res_sla=_ratio("resolution_sla_met_tickets", "resolution_sla_met_tickets + resolution_sla_breached_tickets"),
)


def speed_headline(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, object]:
    return _headline(con, "speed_and_accessibility", _SPEED_SUMS, f)


def speed_trend(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    return _trend(con, "speed_and_accessibility", _SPEED_SUMS, f)


def frt_by_channel(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Median and p90 FRT per period and channel as the mart holds them (percentiles do not add up)."""
    where, params = _where(f)
    return _df(con, f"""
        select
            period_start, channel, answered_tickets,
            frt_median_calendar_minutes / 60 as frt_median_calendar_hours,
            frt_p90_calendar_minutes / 60 as frt_p90_calendar_hours,
            frt_median_business_minutes, frt_p90_business_minutes
        from marts.speed_and_accessibility where {where} and answered_tickets > 0
        order by period_start, channel""", params)


def kpi_targets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _df(con, "select * from marts.kpi_targets order by kpi, channel, priority", [])


def frt_target_hours(con: duckdb.DuckDBPyConnection) -> float:
    row = con.execute("select target_minutes / 60 from marts.kpi_targets where kpi = 'frt_within_target'").fetchone()
    return float(row[0])


def sla_first_response_targets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each channel's default first-response SLA target (the policy row with no priority)."""
    return _df(con, """
        select channel, target_minutes, time_basis from marts.kpi_targets
        where kpi = 'sla_first_response' and priority is null order by channel""", [])


def sla_by_channel(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """SLA compliance per channel and SLA metric, re-divided over periods and priorities."""
    where, params = _where(f)
    return _df(con, f"""
        select channel, sla_metric,
            sum(met_tickets) as met_tickets, sum(breached_tickets) as breached_tickets,
            sum(pending_tickets) as pending_tickets, sum(decided_tickets) as decided_tickets,
            {_ratio('met_tickets', 'decided_tickets')} as compliance_rate
        from marts.sla_compliance where {where}
        group by channel, sla_metric order by channel, sla_metric""", params)


# ------------------------------------------------------------------ 2. resolution quality

_RESOLUTION_SUMS = f"""
    sum(customer_tickets) as customer_tickets,
    sum(solved_tickets) as solved_tickets,
    sum(fcr_tickets) as fcr_tickets,
    {_ratio('fcr_tickets', 'solved_tickets')} as fcr_rate,
    sum(one_touch_tickets) as one_touch_tickets,
    {_ratio('one_touch_tickets', 'solved_tickets')} as one_touch_rate,
    sum(repeat_contact_tickets) as repeat_contact_tickets,
    {_ratio('repeat_contact_tickets', 'customer_tickets')} as repeat_contact_rate,
    sum(reopened_tickets) as reopened_tickets,
    sum(ever_solved_tickets) as ever_solved_tickets,
    {_ratio('reopened_tickets', 'ever_solved_tickets')} as reopen_rate
"""


def resolution_headline(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, object]:
    return _headline(con, "resolution_quality", _RESOLUTION_SUMS, f)


def resolution_trend(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    return _trend(con, "resolution_quality", _RESOLUTION_SUMS, f)


# ------------------------------------------------------------------ 3. customer experience

_CSAT_SUMS = f"""
    sum(surveys_sent) as surveys_sent,
    sum(responded_surveys) as responded_surveys,
    {_ratio('responded_surveys', 'surveys_sent')} as response_rate,
    sum(rated_tickets) as rated_tickets,
    sum(satisfied_tickets) as satisfied_tickets,
    {_ratio('satisfied_tickets', 'rated_tickets')} as csat,
    {_ratio('score_sum', 'rated_tickets')} as mean_score,
    sum(score_1_tickets) as score_1_tickets, sum(score_2_tickets) as score_2_tickets,
    sum(score_3_tickets) as score_3_tickets, sum(score_4_tickets) as score_4_tickets,
    sum(score_5_tickets) as score_5_tickets
"""


def csat_headline(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, object]:
    return _headline(con, "customer_experience", _CSAT_SUMS, f, reason="contact_reason")


def csat_trend(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    return _trend(con, "customer_experience", _CSAT_SUMS, f, reason="contact_reason")


_NPS = "100.0 * (sum(promoters) - sum(detractors)) / nullif(sum(responses), 0)"


def nps_headline(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, object]:
    """NPS over the months in range (answers are not per channel or reason: those filters do not apply)."""
    return _headline(con, "nps_monthly",
                     f"sum(responses) as responses, sum(promoters) as promoters, sum(detractors) as detractors, "
                     f"{_NPS} as nps", f, period="month_start", grain=None, channel=None, unit="month")


def nps_trend(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """NPS per month, overall and per recent-support segment."""
    where, params = _where(f, period="month_start", grain=None, channel=None, unit="month")
    return _df(con, f"""
        select month_start, 'all respondents' as segment, sum(responses) as responses, {_NPS} as nps
        from marts.nps_monthly where {where} group by month_start
        union all
        select month_start, recent_support_segment as segment, sum(responses) as responses, {_NPS} as nps
        from marts.nps_monthly where {where} group by month_start, recent_support_segment
        order by month_start, segment""", params + params)


# ------------------------------------------------------------------ 4. volume, cost and operations

def volume_by_reason(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    where, params = _where(f, reason="contact_reason")
    return _df(con, f"""
        select period_start, contact_reason, sum(inbound_customer_tickets) as inbound_customer_tickets
        from marts.ticket_volume where {where}
        group by period_start, contact_reason order by period_start, contact_reason""", params)


def volume_headline(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, object]:
    volume = _headline(con, "ticket_volume", "sum(inbound_customer_tickets) as inbound_customer_tickets", f,
                       reason="contact_reason")
    return {**volume, **wismo_headline(con, f)}


# period_shipped_orders is every channel's figure repeated on each channel row: taken once per period.
_WISMO_PERIODS = """
    select period_start,
        sum(wismo_customer_tickets) as wismo_customer_tickets,
        sum(customer_tickets) as customer_tickets,
        max(period_shipped_orders) as period_shipped_orders
    from marts.wismo where {where} group by period_start
"""


def wismo_trend(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    where, params = _where(f)
    return _df(con, f"""
        select *, wismo_customer_tickets / nullif(customer_tickets, 0) as wismo_contact_rate,
            100.0 * wismo_customer_tickets / nullif(period_shipped_orders, 0) as wismo_per_100_shipped_orders
        from ({_WISMO_PERIODS.format(where=where)}) order by period_start""", params)


def wismo_headline(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, object]:
    where, params = _where(f)
    return _df(con, f"""
        select sum(wismo_customer_tickets) as wismo_customer_tickets, sum(customer_tickets) as wismo_denominator_tickets,
            sum(wismo_customer_tickets) / nullif(sum(customer_tickets), 0) as wismo_contact_rate,
            sum(period_shipped_orders) as shipped_orders,
            100.0 * sum(wismo_customer_tickets) / nullif(sum(period_shipped_orders), 0) as wismo_per_100_shipped_orders
        from ({_WISMO_PERIODS.format(where=where)})""", params).iloc[0].to_dict()


def deflection_by_month(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Deflection per order month over shipping outcomes; orders carry no channel, so that filter does not apply."""
    where, params = _where(f, period="order_month_start", grain=None, channel=None, unit="month")
    return _df(con, f"""
        select order_month_start,
            sum(notified_orders) as notified_orders,
            sum(deflected_wismo_contacts) as deflected_wismo_contacts,
            sum(all_wismo_contacts) as all_wismo_contacts,
            sum(deflected_wismo_contacts) / nullif(sum(deflected_wismo_contacts) + sum(all_wismo_contacts), 0)
                as deflection_rate
        from marts.wismo_deflection where {where}
        group by order_month_start order by order_month_start""", params)


def backlog_aging(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """End-of-period backlog by age bucket (a stock: summed over channels, never over periods).

    Days and weeks come from the backlog_aging mart; months from backlog_days at each month's
    last day (or the as-of day for the running month), which is how backlog_aging cuts weeks.
    """
    if f.grain == "month":
        where, params = _where(f, period="snapshot_date", grain=None, unit="day")
        source = f"""
            select date_trunc('month', snapshot_date)::date as period_start, snapshot_date as period_end_date,
                is_partial_day as is_partial_period, channel, open_tickets,
                older_than_24h_tickets, older_than_48h_tickets, older_than_72h_tickets
            from marts.backlog_days
            where {where} and (snapshot_date = last_day(snapshot_date) or is_partial_day)"""
    else:
        where, params = _where(f)
        source = f"""
            select period_start, period_end_date, is_partial_period, channel, open_tickets,
                older_than_24h_tickets, older_than_48h_tickets, older_than_72h_tickets
            from marts.backlog_aging where {where}"""
    return _df(con, f"""
        select period_start, max(period_end_date) as period_end_date, bool_or(is_partial_period) as is_partial_period,
            sum(open_tickets) as open_tickets,
            sum(open_tickets - older_than_24h_tickets) as up_to_24h_tickets,
            sum(older_than_24h_tickets - older_than_48h_tickets) as from_24h_to_48h_tickets,
            sum(older_than_48h_tickets - older_than_72h_tickets) as from_48h_to_72h_tickets,
            sum(older_than_72h_tickets) as older_than_72h_tickets,
            sum(older_than_24h_tickets) / nullif(sum(open_tickets), 0) as older_than_24h_share
        from ({source}) group by period_start order by period_start""", params)


# ------------------------------------------------------------------ 5. refunds and returns

def refund_rate_trend(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Refund rate per period and currency (orders carry no channel or reason)."""
    where, params = _where(f, channel=None)
    return _df(con, f"""
        select period_start, currency, sum(orders) as orders, sum(refunded_orders) as refunded_orders,
            {_ratio('refunded_orders', 'orders')} as refund_rate
        from marts.refund_rate where {where}
        group by period_start, currency order by period_start, currency""", params)


def refunds_headline(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, object]:
    rate = _headline(con, "refund_rate", f"""
        sum(orders) as orders, sum(refunded_orders) as refunded_orders,
        {_ratio('refunded_orders', 'orders')} as refund_rate""", f, channel=None)
    requests = _headline(con, "refunds_and_returns", f"""
        sum(requests) as requests, sum(completed_refunds) as completed_refunds,
        {_ratio('completed_refunds', 'requests')} as refund_completion_rate,
        sum(mean_resolution_hours * completed_refunds) / nullif(sum(completed_refunds), 0)
            as mean_resolution_hours""", f, channel=None)
    return {**rate, **requests}


def refund_requests_by_reason(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    where, params = _where(f, channel=None)
    return _df(con, f"""
        select period_start, refund_reason, sum(requests) as requests, sum(completed_refunds) as completed_refunds,
            {_ratio('completed_refunds', 'requests')} as refund_completion_rate
        from marts.refunds_and_returns where {where}
        group by period_start, refund_reason order by period_start, refund_reason""", params)


def refunds_by_ticket_reason(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Requests per contact reason of the linked ticket (requests with no ticket stay visible)."""
    where, params = _where(f, channel=None, reason="ticket_contact_reason")
    if f.reasons:  # a reason filter still shows the requests no ticket explains
        where, params = _where(f, channel=None)
        where += " and (ticket_contact_reason in (select unnest(?)) or ticket_contact_reason in ('no_linked_ticket', 'unknown_ticket'))"
        params.append(list(f.reasons))
    return _df(con, f"""
        select ticket_contact_reason, currency, sum(refund_requests) as refund_requests,
            sum(completed_refunds) as completed_refunds, sum(refunded_amount) as refunded_amount
        from marts.refunds_by_ticket_reason where {where}
        group by ticket_contact_reason, currency order by refund_requests desc, ticket_contact_reason""", params)


# ------------------------------------------------------------------ 6. finance

def _cost_where(f: Filters) -> tuple[str, list]:
    # Finance's months are the grain; unallocated cost has no channel or reason and is shown in the reconciliation.
    where, params = _where(f, period="cost_month_start", grain=None, reason="contact_reason", unit="month")
    return where + " and not is_unallocated", params


_COST_SUMS = f"""
    sum(allocated_cost) as allocated_cost,
    sum(handled_customer_tickets) as handled_customer_tickets,
    sum(fcr_tickets) as fcr_tickets,
    {_ratio('allocated_cost', 'handled_customer_tickets')} as cost_per_contact,
    {_ratio('allocated_cost', 'fcr_tickets')} as cost_per_successful_resolution
"""


def cost_headline(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row per currency (costs in different currencies are never added)."""
    where, params = _cost_where(f)
    return _df(con, f"""
        select currency, {_COST_SUMS} from marts.cost_per_resolution where {where}
        group by currency order by currency""", params)


def cost_by_month(con: duckdb.DuckDBPyConnection, f: Filters, by: str | None = None) -> pd.DataFrame:
    """Cost per contact and per successful resolution per month and currency, optionally split by channel or reason."""
    if by not in (None, "channel", "contact_reason"):
        raise ValueError(f"by must be channel or contact_reason, not {by!r}")
    where, params = _cost_where(f)
    split = f"{by}, " if by else ""
    return _df(con, f"""
        select cost_month_start, {split}currency, {_COST_SUMS}
        from marts.cost_per_resolution where {where}
        group by cost_month_start, {split}currency order by cost_month_start, {split}currency""", params)


def cost_by_reason(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    where, params = _cost_where(f)
    return _df(con, f"""
        select contact_reason, currency, {_COST_SUMS}
        from marts.cost_per_resolution where {where}
        group by contact_reason, currency order by allocated_cost desc""", params)


def ledger_reconciliation(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Ledger vs finance's cost table per month and currency (the whole ledger: no channel or reason)."""
    where, params = _where(f, period="cost_month_start", grain=None, channel=None, unit="month")
    return _df(con, f"""
        select cost_month_start, currency, ledger_amount, allocated_amount, unallocated_amount,
            reported_amount, difference_amount, is_reconciled
        from marts.cost_ledger_reconciliation where {where}
        order by cost_month_start, currency""", params)


# ------------------------------------------------------------------ team performance

_TEAM_SUMS = f"""
    sum(tickets_handled) as tickets_handled,
    sum(fcr_tickets) as fcr_tickets,
    {_ratio('fcr_tickets', 'tickets_handled')} as fcr_rate,
    sum(frt_within_target_tickets) as frt_within_target_tickets,
    sum(frt_target_decided_tickets) as frt_target_decided_tickets,
    {_ratio('frt_within_target_tickets', 'frt_target_decided_tickets')} as frt_within_target_rate,
    sum(csat_responses) as csat_responses,
    sum(csat_satisfied_responses) as csat_satisfied_responses,
    {_ratio('csat_satisfied_responses', 'csat_responses')} as csat_satisfied_rate,
    sum(handle_measured_tickets) as handle_measured_tickets,
    cast({_ratio('handle_seconds_sum', 'handle_measured_tickets')} / 60 as double) as handle_mean_minutes
"""


def team_headline(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, object]:
    """Every agent's handled tickets together (the no-agent row included): the solved customer tickets."""
    where, params = _where(f, channel=None)
    return _df(con, f"select {_TEAM_SUMS} from marts.agent_performance where {where}", params).iloc[0].to_dict()


def team_by_agent(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per agent over the selected periods, rates re-divided; `(no agent)` is a row like the others."""
    where, params = _where(f, channel=None)
    return _df(con, f"""
        select agent_name, agent_id, {_TEAM_SUMS}
        from marts.agent_performance where {where}
        group by agent_name, agent_id order by tickets_handled desc, agent_name""", params)


def team_by_group(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    where, params = _where(f, channel=None)
    return _df(con, f"""
        select group_name, group_id, {_TEAM_SUMS}
        from marts.group_performance where {where}
        group by group_name, group_id order by tickets_handled desc, group_name""", params)


def team_trend(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Tickets handled per period and agent."""
    where, params = _where(f, channel=None)
    return _df(con, f"""
        select period_start, agent_name, sum(tickets_handled) as tickets_handled
        from marts.agent_performance where {where}
        group by period_start, agent_name order by period_start, agent_name""", params)


# ------------------------------------------------------------------ what each page runs

# The queries each page (dashboard/pages/<page>.py) runs on a render, with their extra arguments;
# the page-timing benchmark (python -m support_kpis.benchmark.dashboard) runs exactly these.
PAGE_QUERIES: dict[str, list[tuple]] = {
    "speed_and_accessibility": [(speed_headline,), (speed_trend,), (frt_target_hours, None), (frt_by_channel,),
                                (sla_first_response_targets, None), (sla_by_channel,)],
    "resolution_quality": [(resolution_headline,), (resolution_trend,)],
    "customer_experience": [(csat_headline,), (nps_headline,), (csat_trend,), (nps_trend,)],
    "volume_cost_operations": [(volume_headline,), (volume_by_reason,), (backlog_aging,), (wismo_trend,),
                               (deflection_by_month,)],
    "refunds_and_returns": [(refunds_headline,), (refund_rate_trend,), (refund_requests_by_reason,),
                            (refunds_by_ticket_reason,)],
    "finance": [(cost_headline,), (cost_by_month, "channel"), (cost_by_reason,), (ledger_reconciliation,)],
    "team": [(team_headline,), (team_by_agent,), (team_by_group,), (team_trend,)],
}


def run_page_queries(con: duckdb.DuckDBPyConnection, page: str, f: Filters) -> int:
    """Runs every query of a page (plus the sidebar's), returns the rows fetched."""
    rows = len(filter_choices(con)) + len(publication(con))
    for fn, *extra in PAGE_QUERIES[page]:
        result = fn(con) if extra == [None] else fn(con, f, *extra)
        rows += len(result) if hasattr(result, "__len__") else 1
    return rows
