{{ config(
    materialized='incremental',
    incremental_strategy='rebuild_keys',
    unique_key='ticket_id',
    rebuild_set='int_ticket_rebuild_set',
    on_schema_change='fail',
    post_hook="{{ record_rebuild_watermark() }}",
) }}
-- Groups customer tickets into issues (KPI spec 4): same customer, same contact reason, and
-- same order when the customer quoted one (order field or text). An inferred order is a guess
-- and never splits an issue; a ticket that quotes no order may join an issue about any order.
-- Gaps-and-islands in window functions, no loops or recursion:
--   1. episodes: per customer and reason, in creation order, a ticket continues the episode
--      when created while an earlier ticket of it is open or within repeat_window_days of the
--      latest solve so far; an issue never spans two episodes.
--   2. each ticket's issue order: its quoted order; else the order quoted last before it in
--      the episode (a follow-up is about the order last named); else the first order quoted
--      after it in the episode (it opened the issue that ticket then named); else none.
--   3. issues: the same chaining within (customer, reason, episode, issue order), so two
--      quoted orders are two issues and an unquoted ticket joins exactly one of them.

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
        -- only an order the customer quoted is known (KPI spec 4)
        case
            when ticket_orders.order_link_source in ('field', 'text') then ticket_orders.order_id
        end as quoted_order_id,
        threads.created_at,
        threads.last_solved_at,
        -- an open ticket keeps its issue open indefinitely
        coalesce(threads.last_solved_at, 'infinity'::timestamp) as issue_open_until
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

episode_flagged as (
    select
        *,
        coalesce(
            created_at > max(issue_open_until) over (
                partition by customer_key, contact_reason
                order by created_at, ticket_id
                rows between unbounded preceding and 1 preceding
            ) + {{ repeat_window }},
            true
        ) as starts_episode
    from customer_tickets
),

episodes as (
    select
        *,
        sum(starts_episode::integer) over (
            partition by customer_key, contact_reason
            order by created_at, ticket_id
            rows between unbounded preceding and current row
        ) as episode_number
    from episode_flagged
),

with_issue_order as (
    select
        *,
        coalesce(
            quoted_order_id,
            last_value(quoted_order_id ignore nulls) over (
                partition by customer_key, contact_reason, episode_number
                order by created_at, ticket_id
                rows between unbounded preceding and 1 preceding
            ),
            first_value(quoted_order_id ignore nulls) over (
                partition by customer_key, contact_reason, episode_number
                order by created_at, ticket_id
                rows between 1 following and unbounded following
            )
        ) as issue_order_id
    from episodes
),

with_previous as (
    select
        *,
        max(issue_open_until) over (
            partition by customer_key, contact_reason, episode_number, issue_order_id
            order by created_at, ticket_id
            rows between unbounded preceding and 1 preceding
        ) as previous_open_until
    from with_issue_order
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
            partition by customer_key, contact_reason, episode_number, issue_order_id
            order by created_at, ticket_id
            rows between unbounded preceding and current row
        ) as issue_number
    from flagged
),

sequenced as (
    select
        *,
        -- the issue is named after its first ticket
        first_value(ticket_id) over issue_tickets as issue_id,
        row_number() over issue_tickets as issue_ticket_sequence,
        lead(created_at) over issue_tickets as next_issue_ticket_created_at
    from numbered
    window issue_tickets as (
        partition by customer_key, contact_reason, episode_number, issue_order_id, issue_number
        order by created_at, ticket_id
    )
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
        quoted_order_id,
        issue_order_id,
        created_at,
        last_solved_at,
        next_issue_ticket_created_at
    from sequenced
)

select * from final
