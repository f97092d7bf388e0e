"""The team-lead marts through the semantic layer (test_semantic_layer.py's method): per agent
and month, MetricFlow's tickets handled, FCR rate, CSAT share satisfied and mean handle time
equal the agent_performance mart's month rows re-divided from their numerators and
denominators (the metrics read the day rows only, so a missing grain filter triples the
counts and fails here), the no-agent row included; and the tickets handled of a month add up
to the month's solved customer tickets in the tickets mart."""

from __future__ import annotations

from pathlib import Path

import pytest

import bad_inputs as bi
from test_semantic_layer import SemanticLayer, _key, assert_same, mart, ratio

pytestmark = pytest.mark.dbt_build


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> dict[str, object]:
    return bi.clean_baseline(tmp_path_factory)


@pytest.fixture(scope="module")
def db(warehouse) -> Path:
    return warehouse["run"].db


@pytest.fixture(scope="module")
def layer(warehouse, db) -> SemanticLayer:
    return SemanticLayer(warehouse["workdir"] / "target", db)


def test_agent_metrics_equal_the_mart(layer, db):
    metrics = ["agent_tickets_handled", "agent_fcr_rate", "agent_csat_satisfied_rate", "agent_handle_mean_minutes"]
    semantic = layer.query(metrics, ["metric_time__month", "agent"])
    rows = mart(db, """
        select period_start, agent_id, tickets_handled, fcr_tickets, csat_satisfied_responses, csat_responses,
               handle_seconds_sum, handle_measured_tickets
        from marts.agent_performance where period_grain = 'month'""")
    expected = {(_key(r[0]), r[1]): (r[2], ratio(r[3], r[2]), ratio(r[4], r[5]),
                                     None if not r[7] else float(r[6]) / r[7] / 60) for r in rows}
    assert any(agent is None for _, agent in expected), "the sample has a month with solved tickets no agent handled"
    assert_same(semantic, expected, metrics)


def test_tickets_handled_add_up_to_solved_tickets(db):
    handled = mart(db, "select sum(tickets_handled) from marts.agent_performance where period_grain = 'month'")[0][0]
    by_group = mart(db, "select sum(tickets_handled) from marts.group_performance where period_grain = 'month'")[0][0]
    solved = mart(db, "select count(*) from marts.tickets where is_customer_ticket and is_solved")[0][0]
    assert handled == by_group == solved > 0
