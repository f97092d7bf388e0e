"""The semantic layer (MetricFlow) gives the marts' figures, re-divided rather than averaged.

On the sample warehouse (built once per session, shared with the bad-input suite), each
category's headline metrics are queried through MetricFlow's Python API (the engine `mf query`
runs) by month and channel, and compared with the marts' own numerator and denominator
columns: a rate is sum(numerator) / sum(denominator) of the mart's month rows. The period
marts are pre-aggregated at day, week and month grain; the metrics read the day rows only, so
a missing grain filter would triple every count and fail here. Percentiles come from the
ticket- and request-grain marts and must equal the marts' own month medians. Across channels a
rate must be re-divided, never the mean of the channel rates (checked on a month where the two
differ). The semantic manifest must validate, and `mf query` itself must run a saved query.
"""

from __future__ import annotations

import csv
import math
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from metricflow_semantics.errors.error_classes import InvalidQueryException

import bad_inputs as bi

pytestmark = pytest.mark.dbt_build


# ---------------------------------------------------------------- MetricFlow in-process

class _DuckDbClient:
    """Just enough of MetricFlow's SqlClient for `explain`: the engine renders DuckDB SQL,
    which the test runs itself on a read-only connection."""

    def __init__(self) -> None:
        from metricflow.protocols.sql_client import SqlEngine
        from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer

        self.sql_engine_type = SqlEngine.DUCKDB
        self.sql_plan_renderer = DuckDbSqlPlanRenderer()

    def close(self) -> None:
        pass

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"


class SemanticLayer:
    def __init__(self, target: Path, db: Path) -> None:
        from metricflow.engine.metricflow_engine import MetricFlowEngine
        from metricflow_semantics.model.dbt_manifest_parser import parse_manifest_from_dbt_generated_manifest
        from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

        self.manifest = parse_manifest_from_dbt_generated_manifest((target / "semantic_manifest.json").read_text())
        self.engine = MetricFlowEngine(semantic_manifest_lookup=SemanticManifestLookup(self.manifest),
                                       sql_client=_DuckDbClient())
        self.db = db

    def query(self, metrics: list[str], group_by: list[str]) -> dict[tuple, dict[str, object]]:
        """{group-by values: {metric: value}}, dates as ISO strings."""
        from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

        request = MetricFlowQueryRequest.create(metric_names=metrics, group_by_names=group_by)
        sql = self.engine.explain(request).sql_statement.sql
        with duckdb.connect(str(self.db), read_only=True) as con:
            cursor = con.execute(sql)
            names = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        result = {}
        for row in rows:
            record = dict(zip(names, row))
            key = tuple(_key(record.pop(g)) for g in group_by)
            assert key not in result, f"{group_by} is not unique in MetricFlow's answer: {key}"
            result[key] = record
        return result


def _key(value) -> object:
    return value.date().isoformat() if isinstance(value, datetime) else (
        value.isoformat() if isinstance(value, date) else value)


def mart(db: Path, sql: str) -> list[tuple]:
    """The rows of a query on the built warehouse."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def keyed(rows: list[tuple], key_len: int) -> dict[tuple, tuple]:
    """Rows keyed by their first key_len values (dates as ISO strings)."""
    return {tuple(_key(v) for v in row[:key_len]): row[key_len:] for row in rows}


def close(a, b, rel: float = 1e-9, abs_: float = 1e-9) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or (isinstance(b, float) and math.isnan(b)):
        return (a is None or (isinstance(a, float) and math.isnan(a))) and (
            b is None or (isinstance(b, float) and math.isnan(b)))
    return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=abs_)


def assert_same(semantic: dict[tuple, dict], expected: dict[tuple, tuple], metrics: list[str],
                rel: float = 1e-9, abs_: float = 1e-9) -> None:
    """Every key on both sides, every metric equal (None = null on both sides)."""
    assert set(semantic) == set(expected), (
        f"keys only in MetricFlow: {sorted(set(semantic) - set(expected))[:5]}; "
        f"only in the mart: {sorted(set(expected) - set(semantic))[:5]}")
    wrong = [(key, m, semantic[key][m], want)
             for key, values in expected.items()
             for m, want in zip(metrics, values)
             if not close(semantic[key][m], want, rel, abs_)]
    assert not wrong, f"{len(wrong)} figures differ (key, metric, MetricFlow, mart), e.g. {wrong[:5]}"


def ratio(num, den):
    return None if not den else num / den


# ---------------------------------------------------------------- the sample warehouse

@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> dict[str, object]:
    """The sample built once per session (bad_inputs.clean_baseline, shared with the
    bad-input suite): the full project, so the time spine and every mart exist."""
    return bi.clean_baseline(tmp_path_factory)


@pytest.fixture(scope="session")
def layer(warehouse) -> SemanticLayer:
    return SemanticLayer(warehouse["workdir"] / "target", warehouse["run"].db)


@pytest.fixture(scope="session")
def db(warehouse) -> Path:
    return warehouse["run"].db


# ---------------------------------------------------------------- the manifest

def test_semantic_manifest_validates(layer):
    """What `mf validate-configs` checks of the semantic manifest (dbt parse already ran
    dbt's own validation, or the build would have failed)."""
    from metricflow_semantic_interfaces.validations.semantic_manifest_validator import SemanticManifestValidator

    results = SemanticManifestValidator().validate_semantic_manifest(layer.manifest)
    assert not results.errors, [str(e) for e in results.errors]
    assert not results.warnings, [str(w) for w in results.warnings]


def test_every_kpi_has_a_metric(layer):
    """KPI_SPEC's figures, as metrics: a metric deleted or renamed fails here."""
    wanted = {
        # 1 speed and accessibility
        "customer_tickets", "first_response_within_target_rate", "frt_median_calendar_minutes",
        "frt_p90_calendar_minutes", "frt_median_business_minutes", "frt_p90_business_minutes",
        "frt_mean_calendar_minutes", "first_response_sla_compliance_rate", "resolution_sla_compliance_rate",
        # 2 resolution quality
        "fcr_rate", "one_touch_rate", "repeat_contact_rate", "reopen_rate",
        # 3 customer experience
        "csat", "csat_response_rate", "csat_mean_score", "nps",
        # 4 volume, cost, operations
        "total_tickets", "wismo_contact_rate", "wismo_per_100_shipped_orders", "wismo_frt_median_calendar_minutes",
        "wismo_first_resolution_p90_calendar_minutes", "wismo_handling_cost", "deflection_rate",
        "cost_per_contact", "cost_per_successful_resolution", "backlog_open_tickets", "backlog_older_than_24h_share",
        # 5 refunds and returns
        "refund_rate", "refund_resolution_median_hours", "refund_resolution_p90_hours", "refund_completion_rate",
    }
    metrics = {m.name: m for m in layer.manifest.metrics}
    assert wanted <= set(metrics), sorted(wanted - set(metrics))
    rates = [name for name in wanted if name.endswith(("_rate", "_share", "csat", "cost_per_contact",
                                                       "cost_per_successful_resolution", "csat_mean_score"))]
    not_ratio = [name for name in rates if metrics[name].type.value != "ratio"]
    assert not not_ratio, f"rates must be ratio metrics (re-divided): {not_ratio}"


# ---------------------------------------------------------------- the figures, by category

MONTH_CHANNEL = ["metric_time__month", "channel"]


def test_speed_and_accessibility(layer, db):
    metrics = ["customer_tickets", "first_response_within_target_rate", "first_response_sla_compliance_rate",
               "resolution_sla_compliance_rate", "frt_median_calendar_minutes", "frt_p90_business_minutes",
               "frt_mean_calendar_minutes"]
    semantic = layer.query(metrics, MONTH_CHANNEL)
    rows = mart(db, """
        select period_start, channel, customer_tickets, frt_within_target_tickets, frt_target_decided_tickets,
               first_response_sla_met_tickets, first_response_sla_breached_tickets,
               resolution_sla_met_tickets, resolution_sla_breached_tickets,
               frt_median_calendar_minutes, frt_p90_business_minutes, frt_mean_calendar_minutes
        from marts.speed_and_accessibility where period_grain = 'month'""")
    expected = {(_key(r[0]), r[1]): (r[2], ratio(r[3], r[4]), ratio(r[5], r[5] + r[6]), ratio(r[7], r[7] + r[8]),
                                      r[9], r[10], r[11]) for r in rows}
    assert_same(semantic, expected, metrics)


def test_speed_weeks_are_summed_days(layer, db):
    """Day rows summed into ISO weeks give the mart's own week rows."""
    metrics = ["frt_within_target_tickets", "frt_target_decided_tickets"]
    semantic = layer.query(metrics, ["metric_time__week", "channel"])
    expected = keyed(mart(db, """
        select period_start, channel, frt_within_target_tickets, frt_target_decided_tickets
        from marts.speed_and_accessibility where period_grain = 'week'"""), 2)
    assert_same(semantic, expected, metrics)


def test_resolution_quality(layer, db):
    metrics = ["fcr_rate", "one_touch_rate", "repeat_contact_rate", "reopen_rate"]
    semantic = layer.query(metrics, MONTH_CHANNEL)
    rows = mart(db, """
        select period_start, channel, fcr_tickets, solved_tickets, one_touch_tickets,
               repeat_contact_tickets, customer_tickets, reopened_tickets, ever_solved_tickets
        from marts.resolution_quality where period_grain = 'month'""")
    expected = {(_key(r[0]), r[1]): (ratio(r[2], r[3]), ratio(r[4], r[3]), ratio(r[5], r[6]), ratio(r[7], r[8]))
                for r in rows}
    assert_same(semantic, expected, metrics)


def test_touches(layer, db):
    """Two- and multi-touch rates over one-touch's denominator (solved customer tickets)."""
    metrics = ["two_touch_rate", "multi_touch_rate", "two_touch_tickets", "multi_touch_tickets"]
    semantic = layer.query(metrics, MONTH_CHANNEL)
    rows = mart(db, """
        select period_start, channel, two_touch_tickets, multi_touch_tickets, solved_tickets
        from marts.resolution_quality where period_grain = 'month'""")
    expected = {(_key(r[0]), r[1]): (ratio(r[2], r[4]), ratio(r[3], r[4]), r[2], r[3]) for r in rows}
    assert_same(semantic, expected, metrics)


def test_next_reply_sla(layer, db):
    """Next-reply compliance per ticket, re-divided over the priorities of each channel, and
    its clocks, against sla_compliance's next_reply rows."""
    metrics = ["next_reply_sla_compliance_rate", "next_reply_sla_clocks", "next_reply_sla_breached_clocks"]
    semantic = layer.query(metrics, MONTH_CHANNEL)
    rows = mart(db, """
        select period_start, channel, sum(met_tickets), sum(decided_tickets), sum(clocks), sum(breached_clocks)
        from marts.sla_compliance where period_grain = 'month' and sla_metric = 'next_reply'
        group by period_start, channel""")
    expected = {(_key(r[0]), r[1]): (ratio(r[2], r[3]), r[4], r[5]) for r in rows}
    assert expected and any(v[1] for v in expected.values()), "the sample has no next-reply clock"
    assert_same(semantic, expected, metrics)


@pytest.mark.parametrize("column", [
    "requester_wait_calendar_minutes", "requester_wait_business_minutes", "agent_work_business_minutes",
    "agent_wait_calendar_minutes", "on_hold_business_minutes",
])
def test_wait_time_medians(layer, db, column):
    """Ticket-grain medians of the status-history times, exact at any period."""
    name, basis = column.removesuffix("_minutes").rsplit("_", 1)
    metric = f"{name}_median_{basis}_minutes"
    semantic = layer.query([metric], MONTH_CHANNEL)
    rows = mart(db, f"""
        select date_trunc('month', created_date), channel,
               quantile_cont(case when is_customer_ticket then {column} end, 0.5)
        from marts.tickets group by all""")
    assert any(r[2] is not None for r in rows), f"{column} has no value on the sample"
    assert_same(semantic, keyed(rows, 2), [metric])


def test_rates_across_channels_are_re_divided_not_averaged(layer, db):
    """By month only, the FCR rate is sum(fcr) / sum(solved) over the channels; the mean of
    the channel rates differs on the sample, so an averaging layer would fail."""
    semantic = layer.query(["fcr_rate"], ["metric_time__month"])
    rows = mart(db, """
        select period_start, sum(fcr_tickets) / sum(solved_tickets), avg(fcr_rate)
        from marts.resolution_quality where period_grain = 'month' group by period_start""")
    assert_same(semantic, {(_key(r[0]),): (r[1],) for r in rows}, ["fcr_rate"])
    assert any(not close(r[1], r[2], rel=1e-6) for r in rows), "the sample cannot tell a sum from an average"


def test_customer_experience(layer, db):
    metrics = ["csat", "csat_response_rate", "csat_mean_score"]
    semantic = layer.query(metrics, MONTH_CHANNEL)
    rows = mart(db, """
        select period_start, channel, sum(satisfied_tickets), sum(rated_tickets), sum(responded_surveys),
               sum(surveys_sent), sum(score_sum)
        from marts.customer_experience where period_grain = 'month' group by all""")
    expected = {(_key(r[0]), r[1]): (ratio(r[2], r[3]), ratio(r[4], r[5]), ratio(r[6], r[3])) for r in rows}
    assert_same(semantic, expected, metrics)


def test_nps(layer, db):
    semantic = layer.query(["nps", "nps_responses"], ["metric_time__month"])
    rows = mart(db, """
        select month_start, 100.0 * (sum(promoters) - sum(detractors)) / sum(responses), sum(responses)
        from marts.nps_monthly group by month_start""")
    assert_same(semantic, keyed(rows, 1), ["nps", "nps_responses"])


def test_wismo(layer, db):
    metrics = ["wismo_customer_tickets", "customer_tickets", "wismo_contact_rate", "wismo_frt_median_calendar_minutes"]
    semantic = layer.query(metrics, MONTH_CHANNEL)
    rows = mart(db, """
        select period_start, channel, wismo_customer_tickets, customer_tickets, wismo_frt_median_minutes
        from marts.wismo where period_grain = 'month'""")
    expected = {(_key(r[0]), r[1]): (r[2], r[3], ratio(r[2], r[3]), r[4]) for r in rows}
    # ticket_volume has a row for a channel with only excluded tickets; the wismo mart does not
    for key in set(semantic) - set(expected):
        assert semantic[key]["customer_tickets"] == 0 and semantic[key]["wismo_customer_tickets"] in (None, 0), key
        del semantic[key]
    assert_same(semantic, expected, metrics)


def test_wismo_per_100_shipped_orders_counts_each_order_once(layer, db):
    """Orders have no channel: the period's shipped orders, once, under the WISMO tickets of
    every channel (the mart repeats them on each channel row)."""
    semantic = layer.query(["wismo_per_100_shipped_orders"], ["metric_time__month"])
    rows = mart(db, """
        select period_start, 100.0 * sum(wismo_customer_tickets) / any_value(period_shipped_orders)
        from marts.wismo where period_grain = 'month' group by period_start""")
    # months with shipments but no customer ticket have no wismo row: nothing to compare
    semantic = {k: v for k, v in semantic.items() if k in keyed(rows, 1)}
    assert_same(semantic, keyed(rows, 1), ["wismo_per_100_shipped_orders"])
    with pytest.raises(InvalidQueryException, match="shipped_orders"):
        layer.query(["wismo_per_100_shipped_orders"], MONTH_CHANNEL)


@pytest.mark.parametrize("metric, group_by", [
    ("cost_per_contact", "metric_time__day"),  # a cost month cannot be split into days
    ("nps", "metric_time__week"),  # nor an NPS month into weeks
])
def test_one_grain_marts_refuse_finer_periods(layer, metric, group_by):
    with pytest.raises(InvalidQueryException):
        layer.query([metric], [group_by])


def test_deflection(layer, db):
    semantic = layer.query(["deflection_rate"], ["metric_time__month"])
    rows = mart(db, """
        select order_month_start, sum(deflected_wismo_contacts)
               / nullif(sum(deflected_wismo_contacts + all_wismo_contacts), 0)
        from marts.wismo_deflection group by order_month_start""")
    assert_same(semantic, keyed(rows, 1), ["deflection_rate"])


def test_backlog_is_the_period_end_snapshot(layer, db):
    """A week's backlog is its last day's, never the sum of its days."""
    metrics = ["backlog_open_tickets", "backlog_older_than_24h_share"]
    semantic = layer.query(metrics, ["metric_time__week", "channel"])
    rows = mart(db, """
        select period_start, channel, open_tickets, older_than_24h_tickets
        from marts.backlog_aging where period_grain = 'week'""")
    assert_same(semantic, {(_key(r[0]), r[1]): (r[2], ratio(r[3], r[2])) for r in rows}, metrics)


def test_cost_per_contact_and_resolution(layer, db):
    metrics = ["cost_per_contact", "cost_per_successful_resolution", "support_cost"]
    semantic = layer.query(metrics, MONTH_CHANNEL)
    rows = mart(db, """
        select cost_month_start, channel,
               sum(allocated_cost) filter (where not is_unallocated), sum(handled_customer_tickets),
               sum(fcr_tickets), sum(allocated_cost)
        from marts.cost_per_resolution group by all""")
    expected = {(_key(r[0]), r[1]): (ratio(r[2], r[3]), ratio(r[2], r[4]), r[5]) for r in rows}
    assert_same(semantic, expected, metrics)
    # the ledger, month by month, to the cent
    ledger = keyed(mart(db, "select cost_month_start, sum(allocated_cost) from marts.cost_per_resolution group by 1"), 1)
    total = layer.query(["support_cost", "allocated_support_cost", "unallocated_support_cost"], ["metric_time__month"])
    for key, (amount,) in ledger.items():
        figures = total[key]
        assert round(float(figures["support_cost"]), 2) == round(float(amount), 2)
        assert round(float(figures["allocated_support_cost"] or 0) + float(figures["unallocated_support_cost"] or 0),
                     2) == round(float(amount), 2)


def test_refunds(layer, db):
    semantic = layer.query(["refund_rate", "orders"], ["metric_time__month"])
    rows = mart(db, """
        select period_start, sum(refunded_orders) / sum(orders), sum(orders)
        from marts.refund_rate where period_grain = 'month' group by period_start""")
    assert_same(semantic, keyed(rows, 1), ["refund_rate", "orders"])

    metrics = ["refund_requests", "completed_refunds", "refund_resolution_median_hours", "refund_resolution_p90_hours"]
    group_by = ["metric_time__month", "refund_request__refund_reason", "refund_request__request_type"]
    semantic = layer.query(metrics, group_by)
    rows = mart(db, """
        select period_start, refund_reason, request_type, requests, completed_refunds,
               median_resolution_hours, p90_resolution_hours
        from marts.refunds_and_returns where period_grain = 'month'""")
    # the mart rounds hours to 4 decimals
    assert_same(semantic, keyed(rows, 3), metrics, abs_=1e-4)


# ---------------------------------------------------------------- the mf command line

@pytest.fixture(scope="module")
def mf_cli(warehouse, tmp_path_factory):
    """Runs `mf` on the session build. mf reads <project>/target/semantic_manifest.json, so it
    runs in a copy of the project root (symlinks) whose target/ is the session build's."""
    project = tmp_path_factory.mktemp("mf") / "project"
    project.mkdir()
    for entry in bi.PROJECT.iterdir():
        if entry.name not in ("target", "logs", ".venv", "warehouse", ".git", "dbt_packages"):
            (project / entry.name).symlink_to(entry)
    (project / "target").symlink_to(warehouse["workdir"] / "target")
    env = {**os.environ, "SUPPORT_KPIS_DB": str(warehouse["run"].db), "DBT_PROFILES_DIR": str(project),
           "DBT_LOG_PATH": str(project.parent / "logs")}
    mf = Path(sys.executable).parent / "mf"

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(mf), *args], cwd=project, env=env, capture_output=True, text=True,
                              check=False, timeout=300)
    return run


def test_mf_validate_configs(mf_cli):
    """The semantic manifest and, against the built warehouse, every semantic model,
    dimension, entity, measure and metric (mf runs a query for each)."""
    result = mf_cli("validate-configs")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "Successfully validated metrics against data warehouse" in output, output[-3000:]
    assert "ERRORS: 0, FUTURE_ERRORS: 0, WARNINGS: 0" in output, output[-3000:]


def test_mf_query_runs_a_saved_query(mf_cli, db, tmp_path):
    """`mf query --saved-query` on the sample gives the mart's FCR rate per month and channel."""
    out = tmp_path / "resolution.csv"
    result = mf_cli("query", "--saved-query", "resolution_quality_headline", "--csv", str(out))
    assert result.returncode == 0 and out.exists(), result.stdout[-3000:] + result.stderr[-3000:]
    with out.open() as handle:
        by_key = {(row["metric_time__month"][:10], row["channel"]): row for row in csv.DictReader(handle)}
    mart_rows = mart(db, """
        select period_start, channel, fcr_tickets, solved_tickets
        from marts.resolution_quality where period_grain = 'month'""")
    assert len(by_key) == len(mart_rows)
    for period_start, channel, fcr, solved in mart_rows:
        got = by_key[(period_start.isoformat(), channel)]["fcr_rate"]
        assert close(float(got) if got not in ("", "None") else None, ratio(fcr, solved)), (period_start, channel)
