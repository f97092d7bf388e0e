"""Reason text rules: pure, typed, vectorised.

Two seeds share this code, described by a :class:`RuleSeed`: `contact_reason_rules`
(rule_id, pattern, contact_reason, priority; over tickets, CONTACT_REASON_RULES) and
`refund_reason_rules` (rule_id, pattern, refund_reason, priority; over return requests,
REFUND_REASON_RULES). The rules are a handful of rows; the texts are up to millions. So Python only ever loops over *rules*, to
build one DuckDB ``CASE`` expression; DuckDB then evaluates it over every ticket inside
its own vectorised, multi-threaded engine (RE2 regexes, case-insensitive). No Python
callback is ever registered, so no Python code runs per ticket.

``CASE`` stops at the first true branch and DuckDB only evaluates later branches on the
rows still unmatched, so ordering branches by priority both gives "lowest priority number
wins" and avoids evaluating the remaining patterns on rows already matched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import duckdb
from duckdb import (
    CaseExpression,
    ColumnExpression,
    ConstantExpression,
    Expression,
    FunctionExpression,
)

@dataclass(frozen=True)
class RuleSeed:
    """A rules seed: what its reason column is called and what the match columns are named."""

    #: Seed name, for error messages.
    name: str
    #: The seed column holding the reason a rule assigns.
    reason_column: str
    #: Names of the three columns :func:`match_reason_rules` adds after the id column.
    rule_id_output: str
    reason_output: str
    priority_output: str = "rule_priority"

    @property
    def match_columns(self) -> tuple[str, str, str]:
        return (self.rule_id_output, self.reason_output, self.priority_output)


CONTACT_REASON_RULES = RuleSeed("contact_reason_rules", "contact_reason", "reason_rule_id", "rule_contact_reason")
REFUND_REASON_RULES = RuleSeed("refund_reason_rules", "refund_reason", "refund_reason_rule_id", "rule_refund_reason")

#: Columns of the relation returned by :func:`match_reason_rules` for the contact seed, besides the id column.
MATCH_COLUMNS: tuple[str, ...] = CONTACT_REASON_RULES.match_columns


@dataclass(frozen=True)
class ReasonRule:
    """One row of a rules seed; ``reason`` is the seed's reason column (contact_reason, refund_reason)."""

    rule_id: str
    pattern: str
    reason: str
    priority: int


def load_rules(rules: duckdb.DuckDBPyRelation, seed: RuleSeed = CONTACT_REASON_RULES) -> list[ReasonRule]:
    """Read the (small) rules relation into rules sorted by priority, then rule_id.

    Rows with a null pattern, reason or priority are invalid seed rows and raise, so a
    half-edited seed fails loudly instead of silently dropping a rule. Other seed columns
    (e.g. rule_note) are ignored.
    """
    rows = rules.select(
        ColumnExpression("rule_id"),
        ColumnExpression("pattern"),
        ColumnExpression(seed.reason_column),
        ColumnExpression("priority"),
    ).fetchall()
    parsed: list[ReasonRule] = []
    for rule_id, pattern, reason, priority in rows:
        if rule_id is None or pattern is None or reason is None or priority is None:
            raise ValueError(f"{seed.name}: incomplete rule row {(rule_id, pattern, reason, priority)!r}")
        parsed.append(ReasonRule(str(rule_id), str(pattern), str(reason), int(priority)))
    return sort_rules(parsed)


def sort_rules(rules: Sequence[ReasonRule]) -> list[ReasonRule]:
    """Strongest first: lowest priority number, ties broken by rule_id so order never depends on input order."""
    return sorted(rules, key=lambda r: (r.priority, r.rule_id))


def reason_text_expression(text_columns: Sequence[str]) -> Expression:
    """The text the rules read: the given columns joined by newlines (nulls skipped).

    One column is read as it is, so a null text stays null (matches no rule) rather than
    becoming an empty string.
    """
    if not text_columns:
        raise ValueError("reason_text_expression needs at least one text column")
    if len(text_columns) == 1:
        return ColumnExpression(text_columns[0])
    return FunctionExpression(
        "concat_ws",
        ConstantExpression("\n"),
        *(ColumnExpression(c) for c in text_columns),
    )


def rule_match_expression(text: Expression, rules: Sequence[ReasonRule]) -> Expression:
    """One CASE expression giving the rule_id of the strongest rule whose pattern matches ``text``.

    Null when no rule matches (or the text is null). Patterns are passed as constants, never
    spliced into SQL text, so a quote in a pattern cannot break the query.
    """
    ordered = sort_rules(rules)
    if not ordered:
        return ConstantExpression(None).cast(duckdb.sqltype("varchar"))

    def matches(rule: ReasonRule) -> Expression:
        return FunctionExpression("regexp_matches", text, ConstantExpression(rule.pattern), ConstantExpression("i"))

    first, *rest = ordered
    expression = CaseExpression(matches(first), ConstantExpression(first.rule_id))
    for rule in rest:
        expression = expression.when(matches(rule), ConstantExpression(rule.rule_id))
    return expression.otherwise(ConstantExpression(None).cast(duckdb.sqltype("varchar")))


def _lookup_expression(key: Expression, rules: Sequence[ReasonRule], attribute: str, sql_type: str) -> Expression:
    """Map a rule_id column to another attribute of its rule (cheap equality CASE, no regex)."""
    null = ConstantExpression(None).cast(duckdb.sqltype(sql_type))
    if not rules:
        return null
    first, *rest = rules
    expression = CaseExpression(key == ConstantExpression(first.rule_id), ConstantExpression(getattr(first, attribute)))
    for rule in rest:
        expression = expression.when(key == ConstantExpression(rule.rule_id), ConstantExpression(getattr(rule, attribute)))
    return expression.otherwise(null).cast(duckdb.sqltype(sql_type))


def match_reason_rules(
    texts: duckdb.DuckDBPyRelation,
    rules: Sequence[ReasonRule],
    id_column: str = "ticket_id",
    text_columns: Sequence[str] = ("subject", "first_customer_message_text"),
    seed: RuleSeed = CONTACT_REASON_RULES,
) -> duckdb.DuckDBPyRelation:
    """One row per input row: ``id_column`` and ``seed.match_columns`` (rule id, reason, priority).

    For the contact seed: reason_rule_id, rule_contact_reason, rule_priority. The three rule
    columns are null when no rule matched. Lazy: returns a relation, nothing is computed
    until the caller materialises it.
    """
    matched = texts.select(
        ColumnExpression(id_column),
        rule_match_expression(reason_text_expression(text_columns), rules).alias(seed.rule_id_output),
    )
    key = ColumnExpression(seed.rule_id_output)
    ordered = sort_rules(rules)
    return matched.select(
        ColumnExpression(id_column),
        key,
        _lookup_expression(key, ordered, "reason", "varchar").alias(seed.reason_output),
        _lookup_expression(key, ordered, "priority", "integer").alias(seed.priority_output),
    )
