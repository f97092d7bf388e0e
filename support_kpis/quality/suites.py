"""The great-expectations suites, as data: one list per layer.

This is the one place to add a check. Two kinds of entry:

* ``TableCheck``: row-local expectations on one model. The runner streams the
  model in bounded Arrow batches (only the columns named here) and validates
  each batch, so only expectations whose verdict on a table is the AND of
  their verdicts on its parts are allowed (see ``ROW_LOCAL``). ``grain`` and
  ``types`` are turned into SQL facts (duplicate keys, row count, DuckDB
  column types) that GX then checks as a one-row frame.
* ``QueryCheck``: a cross-row fact ("adds up", "sums to the ledger", "every X
  has a Y") that SQL computes into a small frame and GX then checks.

Models are written as ``{{ ref('model_name') }}`` and resolved to
``<schema>.<model>`` in the warehouse; a model that is missing is an error,
never a skip.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# Expectation types whose verdict is a per-row predicate, so validating a table
# batch by batch and AND-ing the verdicts (summing unexpected counts) gives the
# same answer as validating it whole. Aggregates (uniqueness, means, row
# counts, percentiles) are not: they go through SQL in ``grain`` or a
# ``QueryCheck``.
ROW_LOCAL: frozenset[str] = frozenset(
    {
        "ExpectColumnValuesToNotBeNull",
        "ExpectColumnValuesToBeNull",
        "ExpectColumnValuesToBeInSet",
        "ExpectColumnValuesToNotBeInSet",
        "ExpectColumnValuesToBeBetween",
        "ExpectColumnValuesToMatchRegex",
        "ExpectColumnValuesToNotMatchRegex",
        "ExpectColumnPairValuesAToBeGreaterThanB",
        "ExpectColumnPairValuesToBeEqual",
    }
)

# Plausible range for any event timestamp in the exports. Older dates are
# parsing errors (epoch 0, two-digit years); later than tomorrow means a
# timezone or unit mistake. Dates are naive UTC, as staging promises.
EARLIEST_PLAUSIBLE_AT = dt.datetime(2015, 1, 1)
LATEST_PLAUSIBLE_AT = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=1)


@dataclass(frozen=True)
class Expect:
    """One GX expectation: its class name in ``great_expectations.expectations`` and kwargs."""

    type: str
    kwargs: dict[str, Any]

    def columns(self) -> set[str]:
        return {
            self.kwargs[key]
            for key in ("column", "column_A", "column_B")
            if key in self.kwargs
        }


def expect(type_: str, **kwargs: Any) -> Expect:
    return Expect(type_, kwargs)


def not_null(*columns: str) -> list[Expect]:
    return [expect("ExpectColumnValuesToNotBeNull", column=c) for c in columns]


def in_set(column: str, values: list[Any]) -> Expect:
    return expect("ExpectColumnValuesToBeInSet", column=column, value_set=values)


def between(column: str, min_value: Any = None, max_value: Any = None) -> Expect:
    return expect(
        "ExpectColumnValuesToBeBetween",
        column=column,
        min_value=min_value,
        max_value=max_value,
    )


def plausible_times(*columns: str) -> list[Expect]:
    return [between(c, EARLIEST_PLAUSIBLE_AT, LATEST_PLAUSIBLE_AT) for c in columns]


def not_before(later: str, earlier: str) -> Expect:
    """``later >= earlier`` on every row where both are set (e.g. no reply before creation)."""
    return expect(
        "ExpectColumnPairValuesAToBeGreaterThanB",
        column_A=later,
        column_B=earlier,
        or_equal=True,
        ignore_row_if="either_value_is_missing",
    )


def rates(*columns: str) -> list[Expect]:
    """Shares are in [0, 1] (KPI spec conventions)."""
    return [between(c, 0, 1) for c in columns]


@dataclass(frozen=True)
class TableCheck:
    model: str
    expectations: tuple[Expect, ...] = ()
    # Columns that identify a row; duplicates are an error, and so is an empty table.
    grain: tuple[str, ...] = ()
    # Exact DuckDB type (information_schema.columns.data_type) per column.
    types: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.model

    def __post_init__(self) -> None:
        for e in self.expectations:
            if e.type not in ROW_LOCAL:
                raise ValueError(
                    f"{self.model}: {e.type} is not row-local; express it as a QueryCheck"
                )
            if "mostly" in e.kwargs:
                # A per-batch 'mostly' is not the table's 'mostly'; keep the rule simple.
                raise ValueError(f"{self.model}: 'mostly' is not supported on batched checks")

    def columns(self) -> list[str]:
        cols: set[str] = set()
        for e in self.expectations:
            cols |= e.columns()
        return sorted(cols)


@dataclass(frozen=True)
class QueryCheck:
    name: str
    sql: str
    expectations: tuple[Expect, ...]


Check = TableCheck | QueryCheck


def zero(*columns: str) -> tuple[Expect, ...]:
    return tuple(between(c, 0, 0) for c in columns)


def adds_up(model: str, parts: list[str], total: str, group_by: list[str] | None = None) -> QueryCheck:
    """Counts that add up across a category's rows: sum of the parts equals the total.

    Checked per row and, with ``group_by``, summed per group (a category's rows).
    """
    groups = ", ".join(group_by or [])
    key = f"{groups}, " if groups else ""
    parts_sum = " + ".join(f"coalesce({p}, 0)" for p in parts)
    return QueryCheck(
        name=f"{model}: {' + '.join(parts)} = {total}",
        sql=f"""
            with grouped as (
                select {key}sum({parts_sum}) as parts_total, sum({total}) as total
                from {{{{ ref('{model}') }}}}
                {'group by ' + groups if groups else ''}
            )
            select count(*) filter (where parts_total is distinct from total) as groups_not_adding_up
            from grouped
        """,
        expectations=zero("groups_not_adding_up"),
    )


def percentiles_ordered(*pairs: tuple[str, str]) -> list[Expect]:
    """``median <= p90`` (and any lower <= upper quantile pair) on every row where both are set."""
    return [not_before(upper, lower) for lower, upper in pairs]


def sums_to_ledger(model: str, amount_column: str, month_column: str = "month_start") -> QueryCheck:
    """Cost allocated in a mart sums back to the finance ledger, per month, to the cent (KPI 9)."""
    return QueryCheck(
        name=f"{model}: {amount_column} sums to the finance ledger per month",
        sql=f"""
            with allocated as (
                select {month_column} as month_start, sum({amount_column}) as allocated_amount
                from {{{{ ref('{model}') }}}}
                group by 1
            ),
            ledger as (
                select month_start, sum(amount) as ledger_amount
                from {{{{ ref('stg_finance__support_costs') }}}}
                group by 1
            )
            select
                count(*) filter (
                    where round(coalesce(allocated_amount, 0), 2) != round(coalesce(ledger_amount, 0), 2)
                ) as months_not_matching_ledger
            from ledger
            full outer join allocated on ledger.month_start = allocated.month_start
        """,
        expectations=zero("months_not_matching_ledger"),
    )


# ---------------------------------------------------------------------------
# staging: types, enums, timestamps in plausible ranges, no reply before creation
# (docs/export_contract.md, "Staging outputs")
# ---------------------------------------------------------------------------
_TICKET_CHANNELS = ["email", "chat", "contact_form", "social", "sms", "marketplace", "phone", "other"]

STAGING: list[Check] = [
    TableCheck(
        "stg_gorgias__tickets",
        grain=("ticket_id",),
        types={
            "ticket_id": "BIGINT",
            "merged_into_ticket_id": "BIGINT",
            "tags": "VARCHAR[]",
            "is_spam": "BOOLEAN",
            "created_at": "TIMESTAMP",
            "closed_at": "TIMESTAMP",
            "updated_at": "TIMESTAMP",
        },
        expectations=(
            *not_null("ticket_id", "channel", "status", "created_at", "updated_at", "is_spam"),
            in_set("channel", _TICKET_CHANNELS),
            in_set("status", ["open", "closed"]),
            in_set("priority", ["low", "normal", "high", "critical"]),
            *plausible_times("created_at", "closed_at", "updated_at"),
            not_before("closed_at", "created_at"),
            not_before("updated_at", "created_at"),
            expect("ExpectColumnValuesToMatchRegex", column="order_number_field", regex=r"^[0-9]+$"),
            expect("ExpectColumnValuesToNotMatchRegex", column="customer_email", regex=r"[A-Z]"),
        ),
    ),
    TableCheck(
        "stg_gorgias__messages",
        grain=("message_id",),
        types={
            "message_id": "BIGINT",
            "ticket_id": "BIGINT",
            "rule_id": "BIGINT",
            "is_from_agent": "BOOLEAN",
            "is_public": "BOOLEAN",
            "created_at": "TIMESTAMP",
            "sent_at": "TIMESTAMP",
        },
        expectations=(
            *not_null("message_id", "ticket_id", "created_at", "is_from_agent", "is_public"),
            *plausible_times("created_at", "sent_at"),
            not_before("sent_at", "created_at"),
        ),
    ),
    QueryCheck(
        "stg_gorgias__messages: no agent reply before its ticket was created",
        sql="""
            select
                count(*) filter (where messages.is_from_agent and messages.created_at < tickets.created_at)
                    as agent_replies_before_ticket_creation,
                count(*) filter (where tickets.ticket_id is null) as messages_without_ticket
            from {{ ref('stg_gorgias__messages') }} as messages
            left join {{ ref('stg_gorgias__tickets') }} as tickets
                on messages.ticket_id = tickets.ticket_id
        """,
        expectations=zero("agent_replies_before_ticket_creation", "messages_without_ticket"),
    ),
    TableCheck(
        "stg_gorgias__ticket_events",
        grain=("ticket_event_id",),
        types={"ticket_event_id": "BIGINT", "ticket_id": "BIGINT", "occurred_at": "TIMESTAMP"},
        expectations=(
            *not_null("ticket_event_id", "ticket_id", "event_type", "occurred_at"),
            in_set("event_type", ["created", "closed", "reopened", "merged", "other"]),
            *plausible_times("occurred_at"),
        ),
    ),
    TableCheck(
        "stg_gorgias__satisfaction_surveys",
        grain=("survey_id",),
        types={
            "survey_id": "BIGINT",
            "ticket_id": "BIGINT",
            "score": "INTEGER",
            "created_at": "TIMESTAMP",
            "sent_at": "TIMESTAMP",
            "scored_at": "TIMESTAMP",
        },
        expectations=(
            *not_null("survey_id", "ticket_id", "created_at"),
            between("score", 1, 5),
            *plausible_times("created_at", "sent_at", "scored_at"),
            not_before("scored_at", "created_at"),
        ),
    ),
    TableCheck(
        "stg_shopify__orders",
        grain=("order_id",),
        types={
            "order_id": "BIGINT",
            "order_number": "VARCHAR",
            "subtotal_amount": "DECIMAL(18,2)",
            "total_amount": "DECIMAL(18,2)",
            "refunded_amount": "DECIMAL(18,2)",
            "is_cancelled": "BOOLEAN",
            "created_at": "TIMESTAMP",
        },
        expectations=(
            *not_null("order_id", "order_number", "created_at"),
            expect("ExpectColumnValuesToMatchRegex", column="order_number", regex=r"^[0-9]+$"),
            in_set(
                "financial_status",
                ["paid", "pending", "authorized", "refunded", "partially_refunded", "voided"],
            ),
            between("total_amount", 0),
            between("refunded_amount", 0),
            *plausible_times("created_at", "paid_at", "fulfilled_at", "cancelled_at"),
            not_before("paid_at", "created_at"),
            not_before("fulfilled_at", "created_at"),
        ),
    ),
    TableCheck(
        "stg_shopify__order_lines",
        grain=("order_id", "line_number"),
        expectations=(*not_null("order_id", "line_number"), between("quantity", 0)),
    ),
    TableCheck(
        "stg_shipping__fulfillments",
        grain=("fulfillment_id",),
        types={"order_id": "BIGINT", "shipped_at": "TIMESTAMP", "promised_delivery_date": "DATE"},
        expectations=(
            *not_null("fulfillment_id", "carrier"),
            expect("ExpectColumnValuesToNotMatchRegex", column="carrier", regex=r"[A-Z]"),
            *plausible_times("shipped_at", "updated_at"),
        ),
    ),
    TableCheck(
        "stg_shipping__tracking_events",
        grain=("tracking_event_id",),
        types={"occurred_at": "TIMESTAMP"},
        expectations=(
            *not_null("tracking_event_id", "tracking_number", "tracking_status", "occurred_at"),
            in_set(
                "tracking_status",
                ["info_received", "in_transit", "out_for_delivery", "delivered", "delayed", "exception", "attempt_fail"],
            ),
            *plausible_times("occurred_at"),
        ),
    ),
    TableCheck(
        "stg_shipping__notifications",
        grain=("notification_id",),
        types={"sent_at": "TIMESTAMP"},
        expectations=(
            *not_null("notification_id", "notification_type", "sent_at"),
            in_set("notification_type", ["shipping_confirmation", "delay_alert", "out_for_delivery", "delivered"]),
            in_set("channel", ["email", "sms"]),
            *plausible_times("sent_at"),
        ),
    ),
    TableCheck(
        "stg_returns__return_requests",
        grain=("return_id",),
        types={"refund_amount": "DECIMAL(18,2)", "ticket_id": "BIGINT", "requested_at": "TIMESTAMP"},
        expectations=(
            *not_null("return_id", "request_type", "status", "requested_at"),
            in_set("request_type", ["refund", "return", "exchange"]),
            in_set("status", ["requested", "approved", "received", "refunded", "rejected", "cancelled", "closed"]),
            between("refund_amount", 0),
            *plausible_times("requested_at", "approved_at", "received_at", "refunded_at", "updated_at"),
            not_before("refunded_at", "requested_at"),
            not_before("approved_at", "requested_at"),
        ),
    ),
    TableCheck(
        "stg_nps__responses",
        grain=("response_id",),
        types={"score": "INTEGER", "responded_at": "TIMESTAMP"},
        expectations=(
            *not_null("response_id", "score", "responded_at"),
            between("score", 0, 10),
            *plausible_times("responded_at"),
        ),
    ),
    TableCheck(
        "stg_time_tracking__ticket_time_entries",
        grain=("time_entry_id",),
        types={"ticket_id": "BIGINT", "duration_seconds": "INTEGER", "started_at": "TIMESTAMP"},
        expectations=(
            *not_null("time_entry_id", "ticket_id", "started_at", "duration_seconds"),
            between("duration_seconds", 0),
            *plausible_times("started_at"),
        ),
    ),
    TableCheck(
        "stg_finance__support_costs",
        grain=("month_start", "team", "cost_category"),
        types={"month_start": "DATE", "amount": "DECIMAL(18,2)"},
        expectations=(*not_null("month_start", "team", "amount", "currency"),),
    ),
    QueryCheck(
        "stg_row_reconciliation: every row read is kept, a duplicate or rejected",
        sql="""
            select
                count(*) as export_tables,
                count(*) filter (
                    where rows_read != rows_kept + rows_duplicate + rows_rejected
                ) as tables_not_reconciling
            from {{ ref('stg_row_reconciliation') }}
        """,
        expectations=(between("export_tables", 1), *zero("tables_not_reconciling")),
    ),
]

# ---------------------------------------------------------------------------
# intermediate: every inbound ticket has a thread, a reason with its source,
# business minutes never above calendar minutes (docs/team_interfaces.md)
# ---------------------------------------------------------------------------
_DURATIONS = ["first_response", "first_resolution", "full_resolution"]

INTERMEDIATE: list[Check] = [
    TableCheck(
        "int_ticket_threads",
        grain=("ticket_id",),
        expectations=(
            *not_null("ticket_id", "direction", "created_at", "is_customer_ticket"),
            in_set("direction", ["inbound", "outbound"]),
            between("human_reply_count", 0),
            between("reopen_count", 0),
            not_before("first_human_reply_at", "created_at"),
            not_before("last_solved_at", "first_solved_at"),
        ),
    ),
    QueryCheck(
        "int_ticket_threads: every staged ticket has a thread, every inbound one a customer message",
        sql="""
            select
                count(*) filter (where threads.ticket_id is null) as tickets_without_thread,
                count(*) filter (
                    where threads.is_customer_ticket and threads.first_customer_message_at is null
                ) as customer_tickets_without_customer_message
            from {{ ref('stg_gorgias__tickets') }} as tickets
            left join {{ ref('int_ticket_threads') }} as threads
                on tickets.ticket_id = threads.ticket_id
        """,
        expectations=zero("tickets_without_thread", "customer_tickets_without_customer_message"),
    ),
    TableCheck(
        "int_ticket_contact_reasons",
        grain=("ticket_id",),
        expectations=(
            *not_null("ticket_id", "contact_reason", "reason_source"),
            in_set("reason_source", ["field", "tag", "rule", "none"]),
        ),
    ),
    QueryCheck(
        "int_ticket_contact_reasons: every customer ticket has a reason",
        sql="""
            select count(*) filter (where reasons.ticket_id is null) as customer_tickets_without_reason
            from {{ ref('int_ticket_threads') }} as threads
            left join {{ ref('int_ticket_contact_reasons') }} as reasons
                on threads.ticket_id = reasons.ticket_id
            where threads.is_customer_ticket
        """,
        expectations=zero("customer_tickets_without_reason"),
    ),
    TableCheck(
        "int_ticket_business_durations",
        grain=("ticket_id",),
        expectations=tuple(
            e
            for d in _DURATIONS
            for e in (
                between(f"{d}_business_minutes", 0),
                between(f"{d}_calendar_minutes", 0),
                not_before(f"{d}_calendar_minutes", f"{d}_business_minutes"),
            )
        ),
    ),
]

# ---------------------------------------------------------------------------
# marts: rates in [0, 1], percentiles ordered, counts that add up across a
# category's rows, the finance table summing to the ledger
# ---------------------------------------------------------------------------
_PERIOD_GRAIN = ("period_grain", "period_start")


def grains_agree(model: str, *measures: str) -> QueryCheck:
    """Each ticket lands in exactly one day, one week and one month, so a count summed
    over all rows of one grain equals the same count summed over any other grain."""
    disagreements = " + ".join(f"(count(distinct {m}) > 1)::int" for m in measures)
    totals = ", ".join(f"sum({m}) as {m}" for m in measures)
    return QueryCheck(
        name=f"{model}: day, week and month rows add up to the same totals",
        sql=f"""
            with per_grain as (
                select period_grain, {totals}
                from {{{{ ref('{model}') }}}}
                group by period_grain
            )
            select {disagreements} as measures_disagreeing_across_grains
            from per_grain
        """,
        expectations=zero("measures_disagreeing_across_grains"),
    )


def per_row(model: str, parts: list[str], total: str, grain: tuple[str, ...]) -> QueryCheck:
    """``parts`` add up to ``total`` on every row of the mart (its grain is one group)."""
    return adds_up(model, parts, total, group_by=list(grain))


_EXCLUDED = ["excluded_spam_tickets", "excluded_merged_tickets", "excluded_outbound_tickets", "excluded_other_tickets"]

MARTS: list[Check] = [
    TableCheck(
        "tickets",
        grain=("ticket_id",),
        expectations=(
            *not_null("ticket_id", "channel", "direction", "is_customer_ticket", "created_at"),
            between("allocated_cost", 0),
            between("first_response_calendar_minutes", 0),
            not_before("first_response_calendar_minutes", "first_response_business_minutes"),
            not_before("full_resolution_calendar_minutes", "full_resolution_business_minutes"),
        ),
    ),
    TableCheck(
        "speed_and_accessibility",
        grain=(*_PERIOD_GRAIN, "channel"),
        expectations=(
            *rates("frt_within_target_rate", "first_response_sla_compliance_rate", "resolution_sla_compliance_rate"),
            *percentiles_ordered(
                ("frt_median_calendar_minutes", "frt_p90_calendar_minutes"),
                ("frt_median_business_minutes", "frt_p90_business_minutes"),
            ),
        ),
    ),
    per_row("speed_and_accessibility", ["customer_tickets", *_EXCLUDED], "total_tickets", (*_PERIOD_GRAIN, "channel")),
    per_row("speed_and_accessibility", ["answered_tickets", "unanswered_tickets"], "customer_tickets", (*_PERIOD_GRAIN, "channel")),
    grains_agree("speed_and_accessibility", "total_tickets", "customer_tickets", "answered_tickets"),
    TableCheck(
        "sla_compliance",
        grain=(*_PERIOD_GRAIN, "channel", "priority", "sla_metric"),
        expectations=(*rates("compliance_rate"), in_set("sla_metric", ["first_response", "resolution", "next_reply"])),
    ),
    per_row("sla_compliance", ["met_tickets", "breached_tickets"], "decided_tickets",
            (*_PERIOD_GRAIN, "channel", "priority", "sla_metric")),
    TableCheck(
        "resolution_quality",
        grain=(*_PERIOD_GRAIN, "channel"),
        expectations=(
            *rates("fcr_rate", "one_touch_rate", "two_touch_rate", "multi_touch_rate", "repeat_contact_rate",
                   "reopen_rate"),
            not_before("solved_tickets", "fcr_tickets"),
            not_before("customer_tickets", "repeat_contact_tickets"),
        ),
    ),
    per_row("resolution_quality", ["customer_tickets", *_EXCLUDED], "total_tickets", (*_PERIOD_GRAIN, "channel")),
    grains_agree("resolution_quality", "customer_tickets", "solved_tickets", "fcr_tickets", "repeat_contact_tickets"),
    TableCheck(
        "customer_experience",
        grain=(*_PERIOD_GRAIN, "channel", "contact_reason"),
        expectations=(
            *rates("response_rate", "csat"),
            between("mean_score", 1, 5),
            not_before("surveys_sent", "responded_surveys"),
            not_before("rated_tickets", "satisfied_tickets"),
        ),
    ),
    per_row("customer_experience",
            ["score_1_tickets", "score_2_tickets", "score_3_tickets", "score_4_tickets", "score_5_tickets"],
            "rated_tickets", (*_PERIOD_GRAIN, "channel", "contact_reason")),
    grains_agree("customer_experience", "total_surveys", "surveys_sent", "responded_surveys"),
    TableCheck(
        "nps_monthly",
        grain=("month_start", "recent_support_segment", "recent_ticket_csat_band"),
        expectations=(between("nps", -100, 100), *rates("promoter_share", "detractor_share")),
    ),
    per_row("nps_monthly", ["promoters", "passives", "detractors"], "responses",
            ("month_start", "recent_support_segment", "recent_ticket_csat_band")),
    TableCheck(
        "ticket_volume",
        grain=(*_PERIOD_GRAIN, "channel", "contact_reason", "reason_source"),
        expectations=(*rates("inbound_share"),),
    ),
    grains_agree("ticket_volume", "inbound_customer_tickets", "total_tickets"),
    TableCheck(
        "wismo",
        grain=(*_PERIOD_GRAIN, "channel"),
        expectations=(
            *rates("wismo_contact_rate"),
            not_before("customer_tickets", "wismo_customer_tickets"),
            *percentiles_ordered(
                ("wismo_frt_median_minutes", "wismo_frt_p90_minutes"),
                ("wismo_resolution_median_minutes", "wismo_resolution_p90_minutes"),
            ),
        ),
    ),
    TableCheck(
        "wismo_deflection",
        grain=("order_month_start", "shipping_outcome"),
        expectations=(*rates("deflection_rate"), between("deflected_wismo_contacts", 0)),
    ),
    TableCheck(
        "cost_per_resolution",
        grain=("cost_month_start", "channel", "contact_reason", "currency", "is_unallocated"),
        expectations=(between("allocated_cost", 0), *rates("tracked_handle_minutes_share")),
    ),
    sums_to_ledger("cost_per_resolution", "allocated_cost", month_column="cost_month_start"),
    TableCheck(
        "backlog_days",
        grain=("snapshot_date", "channel"),
        expectations=(
            *rates("older_than_24h_share", "older_than_48h_share", "older_than_72h_share"),
            not_before("older_than_24h_tickets", "older_than_48h_tickets"),
            not_before("older_than_48h_tickets", "older_than_72h_tickets"),
            *percentiles_ordered(("median_age_minutes", "p90_age_minutes")),
        ),
    ),
    TableCheck(
        "backlog_aging",
        grain=(*_PERIOD_GRAIN, "channel"),
        expectations=(*rates("older_than_24h_share", "older_than_48h_share", "older_than_72h_share"),),
    ),
    TableCheck(
        "refund_requests",
        grain=("return_id",),
        expectations=(between("resolution_hours", 0), between("refund_amount", 0)),
    ),
    TableCheck(
        "refunds_and_returns",
        grain=(*_PERIOD_GRAIN, "refund_reason", "request_type"),
        expectations=(
            *rates("refund_completion_rate", "open_older_than_24h_share", "open_older_than_72h_share"),
            not_before("requests", "completed_refunds"),
            *percentiles_ordered(("median_resolution_hours", "p90_resolution_hours")),
        ),
    ),
    grains_agree("refunds_and_returns", "requests", "completed_refunds"),
    TableCheck(
        "refund_rate",
        grain=(*_PERIOD_GRAIN, "currency"),
        expectations=(*rates("refund_rate"), not_before("orders", "refunded_orders")),
    ),
    TableCheck(
        "agent_performance",
        grain=(*_PERIOD_GRAIN, "agent_id"),
        expectations=(
            *rates("fcr_rate", "frt_within_target_rate", "csat_satisfied_rate"),
            not_before("tickets_handled", "fcr_tickets"),
            not_before("tickets_handled", "csat_responses"),
            between("handle_mean_minutes", 0),
        ),
    ),
    grains_agree("agent_performance", "tickets_handled", "fcr_tickets", "csat_responses"),
    TableCheck(
        "group_performance",
        grain=(*_PERIOD_GRAIN, "group_id"),
        expectations=(
            *rates("fcr_rate", "frt_within_target_rate", "csat_satisfied_rate"),
            not_before("tickets_handled", "fcr_tickets"),
            not_before("tickets_handled", "csat_responses"),
            between("handle_mean_minutes", 0),
        ),
    ),
    grains_agree("group_performance", "tickets_handled", "fcr_tickets", "csat_responses"),
]

LAYERS: dict[str, list[Check]] = {
    "staging": STAGING,
    "intermediate": INTERMEDIATE,
    "marts": MARTS,
}
