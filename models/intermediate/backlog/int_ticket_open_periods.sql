{{ config(
    materialized='incremental',
    incremental_strategy=engine_incremental_strategy('rebuild_keys'),
    unique_key='ticket_id',
    rebuild_set='int_ticket_rebuild_set',
    on_schema_change='fail',
    post_hook="{{ record_rebuild_watermark() }}",
) }}
{#- One row per interval during which a customer ticket was open: created -> first close,
    each reopen -> the next close. Built from the status events as a gaps-and-islands over
    "open after this event" flags, so duplicate closes or reopens change nothing. -#}

-- depends_on: {{ ref('int_ticket_rebuild_set') }}
with

threads as (

    select * from {{ ref('int_ticket_threads') }}
    {{ rebuild_filter() }}

),

events as (

    select * from {{ ref(helpdesk_model('ticket_events')) }}
    {{ rebuild_filter() }}

),

customer_tickets as (

    select
        ticket_id,
        channel,
        created_at,
        closed_at,
        is_open
    from threads
    -- closed at an unknown time: no open period can be drawn (data_quality_summary counts it)
    where is_customer_ticket and not coalesce(is_closed_time_unknown, false)

),

-- Status changes in order. Creation opens; a close closes; a reopen opens. The ticket's own
-- closed_at (its last close) stands in for a close event missing from the events export,
-- as in int_ticket_threads. An event logged before creation is moved to creation.
status_changes as (

    select
        ticket_id,
        created_at as changed_at,
        true as is_open_after,
        0 as tie_order,
        cast(null as bigint) as ticket_event_id
    from customer_tickets

    union all

    select
        customer_tickets.ticket_id,
        greatest(events.occurred_at, customer_tickets.created_at) as changed_at,
        events.event_type = 'reopened' as is_open_after,
        1 as tie_order,
        events.ticket_event_id
    from events
    inner join customer_tickets
        on events.ticket_id = customer_tickets.ticket_id
    where events.event_type in ('closed', 'reopened')

    union all

    select
        ticket_id,
        greatest(closed_at, created_at) as changed_at,
        false as is_open_after,
        2 as tie_order,
        cast(null as bigint) as ticket_event_id
    from customer_tickets
    where closed_at is not null

),

sequenced as (

    select
        *,
        lag(is_open_after) over ticket_window as was_open_before
    from status_changes
    window ticket_window as (partition by ticket_id order by changed_at asc, tie_order asc, ticket_event_id asc)

),

-- Only real transitions remain, alternating open, closed, open, ...
transitions as (

    select
        ticket_id,
        changed_at,
        is_open_after,
        tie_order,
        ticket_event_id
    from sequenced
    where was_open_before is null or was_open_before != is_open_after

),

periods as (

    select
        ticket_id,
        is_open_after,
        changed_at as opened_at,
        lead(changed_at) over ticket_window as closed_at,
        row_number() over ticket_window as transition_number
    from transitions
    window ticket_window as (partition by ticket_id order by changed_at asc, tie_order asc, ticket_event_id asc)

),

from_events as (

    select
        periods.ticket_id,
        customer_tickets.channel,
        customer_tickets.created_at as ticket_created_at,
        -- transitions alternate open/closed starting with open, so open ones are odd
        cast({{ integer_divide('(periods.transition_number + 1)', '2') }} as integer) as open_period_number,
        periods.transition_number > 1 as is_reopened_period,
        periods.opened_at,
        periods.closed_at,
        periods.closed_at is null as is_still_open,
        ({{ epoch_seconds('periods.closed_at') }} - {{ epoch_seconds('periods.opened_at') }}) / 60.0 as open_minutes
    from periods
    inner join customer_tickets
        on periods.ticket_id = customer_tickets.ticket_id
    where
        periods.is_open_after
        -- a close at the creation instant leaves nothing open
        and (periods.closed_at is null or periods.closed_at > periods.opened_at)

),

-- Open now by the export (int_ticket_threads) while every period from the events is closed:
-- its reopen event was quarantined. It counts as reopened at its last close, so the backlog
-- at the as-of time agrees with the tickets mart.
missing_reopens as (

    select
        customer_tickets.ticket_id,
        customer_tickets.channel,
        customer_tickets.created_at as ticket_created_at,
        max(from_events.open_period_number) + 1 as open_period_number,
        true as is_reopened_period,
        max(from_events.closed_at) as opened_at,
        cast(null as timestamp) as closed_at,
        true as is_still_open,
        cast(null as double) as open_minutes
    from customer_tickets
    inner join from_events
        on customer_tickets.ticket_id = from_events.ticket_id
    where customer_tickets.is_open
    group by customer_tickets.ticket_id, customer_tickets.channel, customer_tickets.created_at
    having bool_and(not from_events.is_still_open)

),

final as (

    select * from from_events
    {{ union_all_by_name() }}
    select * from missing_reopens

)

select * from final
