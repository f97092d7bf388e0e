{{ config(
    materialized='incremental',
    incremental_strategy=engine_incremental_strategy('rebuild_keys'),
    unique_key='ticket_id',
    rebuild_set='int_ticket_rebuild_set',
    on_schema_change='fail',
    post_hook="{{ record_rebuild_watermark() }}",
) }}
-- Groups customer tickets into issues (KPI spec 4): same customer, same contact reason, and
-- same order when the customer quoted one (order field or text). An inferred order is a guess
-- and never splits an issue; a ticket that quotes no order may join an issue about any order.
-- A follow-up ticket (Zendesk: created from a closed ticket, int_ticket_threads
-- followup_source_ticket_id) is grouped with the ticket it follows, whatever its own customer,
-- reason or quoted order: it takes the keys of the first ticket of its follow-up chain. The
-- repeat window still decides whether it joins that ticket's issue (KPI spec 4), so a
-- follow-up within the window is a repeat contact and takes the source's FCR away
-- (docs/decisions/speed_and_resolution.md, "Follow-up tickets").
{#- Follow-up chains longer than this are treated as cycles in the export and stop here. -#}
{%- set max_followup_depth = 50 %}
-- Gaps-and-islands in window functions (recursion only to walk follow-up chains):
--   1. episodes: per customer and reason, in creation order, a ticket continues the episode
--      when created while an earlier ticket of it is open or within repeat_window_days of the
--      latest solve so far; an issue never spans two episodes.
--   2. each ticket's issue order: its quoted order; else the order quoted last before it in
--      the episode (a follow-up is about the order last named); else the first order quoted
--      after it in the episode (it opened the issue that ticket then named); else none.
--   3. issues: the same chaining within (customer, reason, episode, issue order), so two
--      quoted orders are two issues and an unquoted ticket joins exactly one of them.
-- Four sorts of the tickets that share customer and reason with another (2M tickets on one
-- thread: as fast as the old order-keyed grouping, docs/decisions/tickets_and_business_time.md).

{%- set repeat_window = day_interval(var('repeat_window_days')) %}
{#- The windows of the passes; a frame is added to one where it is used (framed_window). -#}
{%- set windows = {
    'customer_reason_tickets': 'partition by customer_key, contact_reason order by created_at, ticket_id',
    'issue_order_tickets':
        'partition by customer_key, contact_reason, episode_position, issue_order_id order by created_at, ticket_id',
} %}

-- depends_on: {{ ref('int_ticket_rebuild_set') }}
with recursive

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

own_keys as (
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
        -- an open ticket keeps its issue open indefinitely; one closed at an unknown time
        -- counts as closed at its last known activity (never open forever)
        coalesce(
            threads.last_solved_at,
            case when threads.is_closed_time_unknown then coalesce(threads.last_message_at, threads.created_at) end,
            {{ timestamp_infinity() }}
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

-- each follow-up's chain back to the first ticket it follows (merge-chain style walk)
followup_steps as (
    select
        ticket_id,
        followup_source_ticket_id as reached_ticket_id,
        1 as followup_depth
    from threads
    where
        followup_source_ticket_id is not null
        and followup_source_ticket_id != ticket_id

    union all

    select
        followup_steps.ticket_id,
        threads.followup_source_ticket_id as reached_ticket_id,
        followup_steps.followup_depth + 1 as followup_depth
    from followup_steps
    inner join threads
        on followup_steps.reached_ticket_id = threads.ticket_id
    where
        threads.followup_source_ticket_id is not null
        and threads.followup_source_ticket_id != followup_steps.ticket_id
        and threads.followup_source_ticket_id != threads.ticket_id
        and followup_steps.followup_depth < {{ max_followup_depth }}
),

followup_roots as (
    select
        ticket_id,
        {{ arg_max_of('reached_ticket_id', 'followup_depth') }} as root_ticket_id
    from followup_steps
    group by ticket_id
),

-- a follow-up takes its first ticket's customer, reason and quoted order (when that ticket is
-- a customer ticket with an identity: else it has no issue to join)
customer_tickets as (
    select
        own_keys.ticket_id,
        coalesce(root_keys.customer_key, own_keys.customer_key) as customer_key,
        coalesce(root_keys.contact_reason, own_keys.contact_reason) as contact_reason,
        case
            when root_keys.ticket_id is not null
                then coalesce(root_keys.quoted_order_id, own_keys.quoted_order_id)
            else own_keys.quoted_order_id
        end as quoted_order_id,
        own_keys.created_at,
        own_keys.last_solved_at,
        own_keys.issue_open_until
    from own_keys
    left join followup_roots
        on own_keys.ticket_id = followup_roots.ticket_id
    left join own_keys as root_keys
        on followup_roots.root_ticket_id = root_keys.ticket_id
),

-- Most customers write once about a reason: such a ticket is an issue of its own, and only
-- the others go through the window passes below (two thirds fewer rows to sort).
customer_reason_sizes as (
    select
        customer_key,
        contact_reason,
        count(*) as customer_reason_tickets
    from customer_tickets
    group by customer_key, contact_reason
),

sized as (
    select
        customer_tickets.*,
        customer_reason_sizes.customer_reason_tickets = 1 as is_only_ticket
    from customer_tickets
    inner join customer_reason_sizes
        on
            customer_tickets.customer_key = customer_reason_sizes.customer_key
            and customer_tickets.contact_reason = customer_reason_sizes.contact_reason
),

-- Pass 1 (per customer and reason): does the ticket start an episode?
episode_flagged as (
    select
        *,
        row_number() over customer_reason_tickets as customer_reason_position,
        coalesce(
            created_at > max(issue_open_until) over (
                {{ framed_window(
                    'customer_reason_tickets', windows, 'rows between unbounded preceding and 1 preceding'
                ) }}
            ) + {{ repeat_window }},
            true
        ) as starts_episode
    from sized
    where not is_only_ticket
    window customer_reason_tickets as (
        {{ windows.customer_reason_tickets }}
    )
),

-- Pass 2 (same order, one sort): the episode (named by the position of its first ticket) and
-- the nearest quoted orders before and after, with their positions to check the episode.
episodes as (
    select
        *,
        max(case when starts_episode then customer_reason_position end) over (
            {{ framed_window('customer_reason_tickets', windows, 'rows between unbounded preceding and current row') }}
        ) as episode_position,
        min(case when starts_episode then customer_reason_position end) over (
            {{ framed_window('customer_reason_tickets', windows, 'rows between 1 following and unbounded following') }}
        ) as next_episode_position,
        max(case when quoted_order_id is not null then customer_reason_position end) over (
            {{ framed_window('customer_reason_tickets', windows, 'rows between unbounded preceding and 1 preceding') }}
        ) as previous_quote_position,
        {{ ignoring_nulls('last_value', 'quoted_order_id') }} over (
            {{ framed_window('customer_reason_tickets', windows, 'rows between unbounded preceding and 1 preceding') }}
        ) as previous_quoted_order_id,
        min(case when quoted_order_id is not null then customer_reason_position end) over (
            {{ framed_window('customer_reason_tickets', windows, 'rows between 1 following and unbounded following') }}
        ) as next_quote_position,
        {{ ignoring_nulls('first_value', 'quoted_order_id') }} over (
            {{ framed_window('customer_reason_tickets', windows, 'rows between 1 following and unbounded following') }}
        ) as next_quoted_order_id
    from episode_flagged
    window customer_reason_tickets as (
        {{ windows.customer_reason_tickets }}
    )
),

with_issue_order as (
    select
        *,
        coalesce(
            quoted_order_id,
            case when previous_quote_position >= episode_position then previous_quoted_order_id end,
            case
                when next_quote_position < coalesce(next_episode_position, next_quote_position + 1)
                    then next_quoted_order_id
            end
        ) as issue_order_id
    from episodes
),

-- Pass 3 (per customer, reason, episode and issue order): does the ticket start an issue?
flagged as (
    select
        *,
        row_number() over issue_order_tickets as issue_order_position,
        coalesce(
            created_at > max(issue_open_until) over (
                {{ framed_window('issue_order_tickets', windows, 'rows between unbounded preceding and 1 preceding') }}
            ) + {{ repeat_window }},
            true
        ) as starts_issue
    from with_issue_order
    window issue_order_tickets as (
        {{ windows.issue_order_tickets }}
    )
),

-- Pass 4 (same order, one sort): the issue's first ticket and the next ticket, if it is of
-- the same issue.
sequenced as (
    select
        *,
        -- the issue is named after its first ticket
        {{ ignoring_nulls('last_value', 'case when starts_issue then ticket_id end') }} over (
            {{ framed_window('issue_order_tickets', windows, 'rows between unbounded preceding and current row') }}
        ) as issue_id,
        max(case when starts_issue then issue_order_position end) over (
            {{ framed_window('issue_order_tickets', windows, 'rows between unbounded preceding and current row') }}
        ) as issue_start_position,
        lead(created_at) over issue_order_tickets as next_created_at,
        lead(starts_issue) over issue_order_tickets as next_starts_issue
    from flagged
    window issue_order_tickets as (
        {{ windows.issue_order_tickets }}
    )
),

issue_tickets as (
    select
        ticket_id,
        issue_id,
        issue_order_position - issue_start_position + 1 as issue_ticket_sequence,
        issue_order_position > issue_start_position as is_repeat_contact,
        -- the next ticket of the issue arrived before this one was solved, or within the window after
        coalesce(
            not next_starts_issue and next_created_at <= issue_open_until + {{ repeat_window }},
            false
        ) as has_repeat_within_window,
        customer_key,
        contact_reason,
        quoted_order_id,
        issue_order_id,
        created_at,
        last_solved_at,
        case when not next_starts_issue then next_created_at end as next_issue_ticket_created_at
    from sequenced
),

only_tickets as (
    select
        ticket_id,
        ticket_id as issue_id,
        1::bigint as issue_ticket_sequence,
        false as is_repeat_contact,
        false as has_repeat_within_window,
        customer_key,
        contact_reason,
        quoted_order_id,
        quoted_order_id as issue_order_id,
        created_at,
        last_solved_at,
        null::timestamp as next_issue_ticket_created_at
    from sized
    where is_only_ticket
),

final as (
    select * from issue_tickets
    union all
    select * from only_tickets
)

select * from final
