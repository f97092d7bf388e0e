"""support_kpis.reasons: rule precedence, null handling, the real seed, and vectorisation.

Expected values are written by hand from the rows below, not copied from output.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import duckdb
import pytest

from support_kpis import reasons
from support_kpis.reasons import ReasonRule, load_rules, match_reason_rules, rule_match_expression

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "seeds" / "tickets" / "contact_reason_rules.csv"

RULES = [
    # Deliberately out of priority order: precedence must come from `priority`, not row order.
    ReasonRule("refund", r"\brefund", "return_refund_status", 60),
    ReasonRule("damaged", r"\b(broken|damaged)\b", "damaged_defective", 10),
    ReasonRule("wismo", r"where is my (order|package)", "wismo", 70),
]


@pytest.fixture()
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def _texts(con, rows):
    return con.sql(
        "select * from (values "
        + ", ".join("(?, ?, ?)" for _ in rows)
        + ") as t (ticket_id, subject, first_customer_message_text)",
        params=[v for row in rows for v in row],
    )


def _result(rel):
    return {row[0]: row[1:] for row in rel.fetchall()}


def test_lowest_priority_wins_and_text_sources_combine(con):
    rows = [
        (1, "Where is my order?", None),  # only wismo
        (2, "Refund please", "the mug arrived BROKEN"),  # refund (60) and damaged (10): damaged
        (3, "Where is my package", "I want a refund"),  # wismo (70) in subject, refund (60) in body: refund
        (4, "Hello", "just saying hi"),  # nothing
        (5, None, None),  # no text at all
        (6, None, "REFUNDED yet?"),  # case-insensitive, body only
    ]
    got = _result(match_reason_rules(_texts(con, rows), RULES))
    assert got == {
        1: ("wismo", "wismo", 70),
        2: ("damaged", "damaged_defective", 10),
        3: ("refund", "return_refund_status", 60),
        4: (None, None, None),
        5: (None, None, None),
        6: ("refund", "return_refund_status", 60),
    }


def test_priority_tie_is_broken_by_rule_id_not_row_order(con):
    tied = [ReasonRule("b_rule", "x", "wismo", 5), ReasonRule("a_rule", "x", "other", 5)]
    got = _result(match_reason_rules(_texts(con, [(1, "x", None)]), tied))
    assert got == {1: ("a_rule", "other", 5)}


def test_no_rules_gives_nulls(con):
    got = _result(match_reason_rules(_texts(con, [(1, "refund", None)]), []))
    assert got == {1: (None, None, None)}


def test_pattern_with_quote_is_a_constant_not_sql(con):
    rules = [ReasonRule("q", r"doesn'?t work", "damaged_defective", 1)]
    got = _result(match_reason_rules(_texts(con, [(1, "It doesn't work", None), (2, "It doesnt work", None)]), rules))
    assert got == {1: ("q", "damaged_defective", 1), 2: ("q", "damaged_defective", 1)}


def test_invalid_pattern_fails_loudly(con):
    rules = [ReasonRule("bad", "(unclosed", "wismo", 1)]
    with pytest.raises(duckdb.Error):
        match_reason_rules(_texts(con, [(1, "x", None)]), rules).fetchall()


def test_load_rules_sorts_and_rejects_incomplete_rows(con):
    rel = con.sql("select * from (values ('b', 'p', 'wismo', 2), ('a', 'q', 'other', 1)) as t (rule_id, pattern, contact_reason, priority)")
    assert [r.rule_id for r in load_rules(rel)] == ["a", "b"]
    bad = con.sql("select 'a' as rule_id, null::varchar as pattern, 'wismo' as contact_reason, 1 as priority")
    with pytest.raises(ValueError, match="incomplete"):
        load_rules(bad)


def test_the_shipped_seed_classifies_typical_messages(con):
    with SEED.open(newline="") as f:
        seed = [ReasonRule(r["rule_id"], r["pattern"], r["contact_reason"], int(r["priority"])) for r in csv.DictReader(f)]
    rows = [
        (1, "Where is my order #1001?", "It has not arrived yet"),
        (2, "Return", "I'd like a refund for my order"),
        (3, "Order 1002", "The lamp arrived damaged, can I get a refund?"),  # damaged (10) beats refund (60)
        (4, "Wrong size", "I received the wrong size"),
        (5, "Quick question", "Can I change my shipping address before it ships?"),
        (6, "Please cancel", "Please cancel my order"),
        (7, "Payment", "I was charged twice"),
        (8, "Question", "How do I clean the filter?"),
        (9, "Hi", "Thanks for the great service!"),
        (10, "Change order 1008", "Can I change the colour of what I ordered?"),
        (11, "Problem", "My card was declined but money left my account."),
        (12, "Question about my order #1138", "Is this dishwasher safe?"),
        (13, "Sizes", "Which size fits a 10 year old?"),
    ]
    got = {k: v[1] for k, v in _result(match_reason_rules(_texts(con, rows), seed)).items()}
    assert got == {
        1: "wismo",
        2: "return_refund_status",
        3: "damaged_defective",
        4: "wrong_item",
        5: "address_change",
        6: "order_change_cancel",
        7: "payment_issue",
        8: "product_question_troubleshooting",
        9: None,
        10: "order_change_cancel",
        11: "payment_issue",
        12: "product_question_troubleshooting",
        13: "product_question_troubleshooting",
    }


# --- vectorisation: timing-free ---------------------------------------------------------


def test_builds_one_expression_with_one_regex_per_rule_whatever_the_row_count():
    sql = str(rule_match_expression(reasons.reason_text_expression(["subject"]), RULES))
    assert len(re.findall(r"regexp_matches\(", sql)) == len(RULES)
    # strongest first: damaged (10), refund (60), wismo (70)
    assert [m for m in re.findall(r"THEN '([a-z_]+)'", sql)] == ["damaged", "refund", "wismo"]


def _python_calls_while_matching(con, n_rows: int) -> int:
    """Count Python function calls made while building AND fully executing the match."""
    texts = con.sql(
        "select i as ticket_id, 'order ' || i as subject, case when i % 2 = 0 then 'refund' end as first_customer_message_text "
        f"from range({n_rows}) as r (i)"
    )
    calls = 0

    def profiler(frame, event, arg):
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(profiler)
    try:
        result = match_reason_rules(texts, RULES).aggregate("count(*) as n, count(reason_rule_id) as matched").fetchall()
    finally:
        sys.setprofile(None)
    assert result == [(n_rows, n_rows // 2)]
    return calls


def test_no_python_code_runs_per_row(con):
    small = _python_calls_while_matching(con, 10)
    large = _python_calls_while_matching(con, 20_000)
    # Same Python work for 10 and 20,000 rows: all per-row work happens inside DuckDB.
    assert large == small


def test_never_registers_a_python_udf(con, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("reasons must not register Python UDFs")

    monkeypatch.setattr(duckdb.DuckDBPyConnection, "create_function", forbidden)
    monkeypatch.setattr(duckdb, "create_function", forbidden, raising=False)
    got = _result(match_reason_rules(_texts(con, [(1, "broken", None)]), RULES))
    assert got == {1: ("damaged", "damaged_defective", 10)}
