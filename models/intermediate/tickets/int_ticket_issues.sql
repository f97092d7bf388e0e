{{ config(
    materialized='incremental',
    incremental_strategy='rebuild_keys',
    unique_key='ticket_id',
    rebuild_set='int_ticket_rebuild_set',
    on_schema_change='fail',
    post_hook="{{ record_rebuild_watermark() }}",
) }}
-- Groups customer tickets into issues (KPI spec 4): same customer, same contact reason and
-- same linked order (tickets without an order group together). Within a group, ordered by
-- creation, a ticket joins the running issue when it is created while an earlier ticket of
-- the issue is still open, or within repeat_window_days of the latest solve so far;
-- otherwise it starts a new issue. Gaps-and-islands over intervals, no loops.

{%- set repeat_window = "interval (" ~ var('repeat_window_days') ~ ") day" %}

-- depends_on: {{ ref('int_ticket_rebuild_set') }}
with

threads as (
    select * from {{ ref('int_ticket_threads') }}
    {{ rebuild_filter() }}
),

contact_reasons as (
    select * from {{ ref('int_ticket_contact_reasons') }}
    {{ rebuild_filter() }}
),

ticket_orders as (
    select * from {{ ref('int_ticket_orders') }}
    {{ rebuild_filter() }}
),

customer_tickets as (
    select
        threads.ticket_id,
        coalesce(threads.customer_id, threads.customer_email) as customer_key,
        contact_reasons.contact_reason,
        ticket_orders.order_id,
        threads.created_at,
        threads.last_solved_at,
        -- an open ticket keeps its issue open indefinitely; one closed at an unknown time
        -- counts as closed at its last known activity (never open forever)
        coalesce(
            threads.last_solved_at,
            case when threads.is_closed_time_unknown then coalesce(threads.last_message_at, threads.created_at) end,
            'infinity'::timestamp
        ) as issue_open_until
    from threads
    inner join contact_reasons
        on threads.ticket_id = contact_reasons.ticket_id
    left join ticket_orders
        on threads.ticket_id = ticket_orders.ticket_id
    where
        threads.is_customer_ticket
        -- without any customer identity there is nothing to group on
        and coalesce(threads.customer_id, threads.customer_email) is not null
),

with_previous as (
    select
        *,
        max(issue_open_until) over (
            partition by customer_key, contact_reason, order_id
            order by created_at, ticket_id
            rows between unbounded preceding and 1 preceding
        ) as previous_open_until
    from customer_tickets
),

flagged as (
    select
        *,
        previous_open_until is null
        or created_at > previous_open_until + {{ repeat_window }} as starts_issue
    from with_previous
),

numbered as (
    select
        *,
        sum(starts_issue::integer) over (
            partition by customer_key, contact_reason, order_id
            order by created_at, ticket_id
            rows between unbounded preceding and current row
        ) as issue_number
    from flagged
),

sequenced as (
    select
        *,
        -- the issue is named after its first ticket
        first_value(ticket_id) over (
            partition by customer_key, contact_reason, order_id, issue_number
            order by created_at, ticket_id
        ) as issue_id,
        row_number() over (
            partition by customer_key, contact_reason, order_id, issue_number
            order by created_at, ticket_id
        ) as issue_ticket_sequence,
        lead(created_at) over (
            partition by customer_key, contact_reason, order_id, issue_number
            order by created_at, ticket_id
        ) as next_issue_ticket_created_at
    from numbered
),

final as (
    select
        ticket_id,
        issue_id,
        issue_ticket_sequence,
        issue_ticket_sequence > 1 as is_repeat_contact,
        -- the next ticket of the issue arrived before this one was solved, or within the window after
        coalesce(
            next_issue_ticket_created_at <= issue_open_until + {{ repeat_window }},
            false
        ) as has_repeat_within_window,
        customer_key,
        contact_reason,
        order_id,
        created_at,
        last_solved_at,
        next_issue_ticket_created_at
    from sequenced
)

select * from final
