"""Headline figures: the dbt side's queries over the marts, and the comparison with the baseline.

A figure is one row ``(metric, key, value)``. ``key`` names the slice (``2025-03|email``,
``all``); ``value`` is a number or null. Both sides produce the same metrics and keys; the
comparison reports every difference beyond rounding, and every figure present on one side only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb

# Both sides round to this many decimals before comparing.
ROUND_DECIMALS = 6
# A difference passes when it is within either tolerance (after rounding).
REL_TOLERANCE = 1e-6
ABS_TOLERANCE = 1e-6

# One query per metric over the built marts. Month grain, key = month (and channel where the
# spec asks for it). Rates are re-derived from the shipped numerators and denominators, never
# averaged, so a month's figure is the same whichever rows a BI tool sums.
_MONTH = "strftime(period_start, '%Y-%m')"
DBT_FIGURE_QUERIES: dict[str, str] = {
    "customer_tickets": f"""
        select {_MONTH} || '|' || channel, sum(customer_tickets)
        from marts.speed_and_accessibility where period_grain = 'month' group by all""",
    "frt_median_calendar_minutes": f"""
        select {_MONTH} || '|' || channel, any_value(frt_median_calendar_minutes)
        from marts.speed_and_accessibility where period_grain = 'month' group by all""",
    "fcr_rate": f"""
        select {_MONTH}, sum(fcr_tickets) / nullif(sum(solved_tickets), 0)
        from marts.resolution_quality where period_grain = 'month' group by all""",
    "repeat_contact_rate": f"""
        select {_MONTH}, sum(repeat_contact_tickets) / nullif(sum(customer_tickets), 0)
        from marts.resolution_quality where period_grain = 'month' group by all""",
    "csat_share": f"""
        select {_MONTH}, sum(satisfied_tickets) / nullif(sum(rated_tickets), 0)
        from marts.customer_experience where period_grain = 'month' group by all""",
    "nps": """
        select strftime(month_start, '%Y-%m'), 100.0 * (sum(promoters) - sum(detractors)) / nullif(sum(responses), 0)
        from marts.nps_monthly group by all""",
    "wismo_rate": f"""
        select {_MONTH}, sum(wismo_customer_tickets) / nullif(sum(customer_tickets), 0)
        from marts.wismo where period_grain = 'month' group by all""",
    "cost_per_contact": """
        select strftime(cost_month_start, '%Y-%m'),
            sum(allocated_cost) / nullif(sum(handled_customer_tickets) filter (where not is_unallocated), 0)
        from marts.cost_per_resolution group by all""",
    "backlog_at_as_of": """
        select channel, sum(open_tickets)
        from marts.backlog_days
        where snapshot_date = (select max(snapshot_date) from marts.backlog_days)
        group by all""",
    "refund_rate": f"""
        select {_MONTH}, sum(refunded_orders) / nullif(sum(orders), 0)
        from marts.refund_rate where period_grain = 'month' group by all""",
    "refund_resolution_median_hours": """
        select refund_reason, median(resolution_hours)
        from marts.refund_requests where resolution_hours is not null group by all""",
}


# Counts: a slice missing on one side means 0 there. Every other metric: it means null.
COUNT_METRICS = frozenset({"customer_tickets", "backlog_at_as_of"})


@dataclass(frozen=True)
class Difference:
    metric: str
    key: str
    dbt_value: float | None
    baseline_value: float | None
    problem: str

    def line(self) -> str:
        return f"{self.metric} [{self.key}]: dbt={_fmt(self.dbt_value)} baseline={_fmt(self.baseline_value)} ({self.problem})"


def _fmt(value: float | None) -> str:
    return "missing" if value is None else f"{value:.6f}"


def _norm(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    if math.isnan(number):
        return None
    return round(number, ROUND_DECIMALS)


def figures_from_rows(metric: str, rows: list[tuple[object, object]]) -> dict[tuple[str, str], float | None]:
    """Key the rows of one metric query as ``(metric, key)``; a null key is kept as the text ``null``."""
    return {(metric, "null" if key is None else str(key)): _norm(value) for key, value in rows}


def dbt_figures(con: duckdb.DuckDBPyConnection) -> tuple[dict[tuple[str, str], float | None], dict[str, str]]:
    """Run every metric query against the built marts; a mart that is missing or broken is
    returned as an error for its metric (so the other metrics are still compared)."""
    figures: dict[tuple[str, str], float | None] = {}
    errors: dict[str, str] = {}
    for metric, sql in DBT_FIGURE_QUERIES.items():
        try:
            figures.update(figures_from_rows(metric, con.sql(sql).fetchall()))
        except duckdb.Error as exc:
            errors[metric] = str(exc).splitlines()[0]
    return figures, errors


def baseline_figures(con: duckdb.DuckDBPyConnection, table: str = "headline_figures") -> dict[tuple[str, str], float | None]:
    """Read the baseline script's ``(metric, key, value)`` table."""
    figures: dict[tuple[str, str], float | None] = {}
    for metric, key, value in con.sql(f"select metric, key, value from {table}").fetchall():
        figures[(str(metric), "null" if key is None else str(key))] = _norm(value)
    return figures


def values_match(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    diff = abs(a - b)
    return diff <= ABS_TOLERANCE or diff <= REL_TOLERANCE * max(abs(a), abs(b))


def compare(dbt: dict[tuple[str, str], float | None], baseline: dict[tuple[str, str], float | None]) -> list[Difference]:
    """Every figure whose values differ beyond rounding, or that only one side produced."""
    differences = []
    for metric, key in sorted(set(dbt) | set(baseline)):
        in_dbt, in_base = (metric, key) in dbt, (metric, key) in baseline
        absent = 0.0 if metric in COUNT_METRICS else None
        a, b = dbt.get((metric, key), absent), baseline.get((metric, key), absent)
        # A slice one side leaves out is equal to an empty one (count 0, rate null) on the other.
        if (not in_dbt or not in_base) and not values_match(a, b):
            problem = "only in baseline" if in_base else "only in dbt"
            differences.append(Difference(metric, key, a, b, problem))
        elif not values_match(a, b):
            problem = "one side null" if (a is None) != (b is None) else f"diff {abs(a - b):.6g}"  # type: ignore[operator]
            differences.append(Difference(metric, key, a, b, problem))
    return differences
