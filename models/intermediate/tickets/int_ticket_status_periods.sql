-- One row per ticket and status period, rebuilt from the helpdesk's status steps
-- (stg_<helpdesk>__ticket_events, changed_field = 'status'). A period runs from one step to
-- the next; the last one is current (ended_at null) and measured up to the helpdesk's as-of
-- time. Business time follows the ticket's schedule over time (macro ticket_business_time:
-- positions on the daily cumulative calendar, continuous across schedule changes).
{#- Microseconds per second; durations divide in double precision on every engine. -#}
{%- set us_per_second = decimal_divisor('1000000.0') %}

with

tickets as (

    select * from {{ ref('int_ticket_threads') }}

),

events as (

    select * from {{ ref(helpdesk_model('ticket_events')) }}

),

as_of as (

    {{ data_as_of_at('helpdesk') }}

),

event_steps as (

    -- A status step within the clock skew before creation counts at creation (staging
    -- quarantines the ones further before), as int_ticket_threads does for closes.
    select
        events.ticket_id,
        {{ not_before('events.occurred_at', 'tickets.created_at') }} as stepped_at,
        events.value_after as status,
        events.ticket_event_id,
        false as is_inferred

    from events
    inner join tickets
        on events.ticket_id = tickets.ticket_id
    where events.changed_field = 'status' and events.value_after is not null

),

inferred_steps as (

    -- Steps the events do not show but the ticket model knows: a ticket is `new` from its
    -- creation until its first status step, and it is solved at its last solve
    -- (int_ticket_threads takes the export's closed_at when no close event says when).
    select
        tickets.ticket_id,
        tickets.created_at as stepped_at,
        'new' as status,
        null as ticket_event_id,
        true as is_inferred

    from tickets
    where
        not exists (
            select 1 from event_steps
            where event_steps.ticket_id = tickets.ticket_id and event_steps.stepped_at <= tickets.created_at
        )

    union all

    select
        tickets.ticket_id,
        tickets.last_solved_at as stepped_at,
        'solved' as status,
        null as ticket_event_id,
        true as is_inferred

    from tickets
    where
        tickets.last_solved_at is not null
        and not exists (
            select 1 from event_steps
            where
                event_steps.ticket_id = tickets.ticket_id
                and event_steps.stepped_at = tickets.last_solved_at
                and event_steps.status in ('solved', 'closed')
        )

),

steps as (

    -- Steps after the as-of time have not happened yet (var as_of_at set in the past).
    select
        all_steps.*,
        lag(all_steps.status) over (
            partition by all_steps.ticket_id
            order by all_steps.stepped_at, all_steps.is_inferred, all_steps.ticket_event_id
        ) as previous_status

    from (
        select * from event_steps
        union all
        select * from inferred_steps
    ) as all_steps
    cross join as_of
    where all_steps.stepped_at <= as_of.as_of_at

),

periods as (

    -- A step to the status the ticket already has starts nothing. Ordering by time first
    -- makes every period start no later than it ends: steps exported out of order are read
    -- in time order, so no period is negative.
    select
        ticket_id,
        status,
        is_inferred,
        stepped_at as started_at,
        lead(stepped_at) over (
            partition by ticket_id order by stepped_at, is_inferred, ticket_event_id
        ) as ended_at,
        row_number() over (
            partition by ticket_id order by stepped_at, is_inferred, ticket_event_id
        ) as period_sequence

    from steps
    where previous_status is null or status != previous_status

),

measured as (

    select
        periods.ticket_id,
        periods.period_sequence,
        periods.status,
        periods.is_inferred,
        periods.started_at,
        periods.ended_at,
        periods.ended_at is null as is_current,
        coalesce(periods.ended_at, as_of.as_of_at) as measured_until_at

    from periods
    cross join as_of

),

positioned as (

    -- P at both ends of each period, on the ticket's schedule over time (the one entry point
    -- for business time); the schedule is the one in force when the period started
    select
        ticket_id,
        period_sequence,
        status,
        is_inferred,
        started_at,
        ended_at,
        is_current,
        measured_until_at,
        schedule_id,
        started_at_business_position_us as start_business_position_us,
        measured_until_at_business_position_us as until_business_position_us

    from (
        {{ ticket_business_time(
            'measured', [], schedule_id_at='started_at', positions=['started_at', 'measured_until_at']
        ) }}
    ) as measured_positions

),

final as (

    select
        ticket_id,
        period_sequence,
        status,
        -- the status buckets of the wait metrics (Zendesk's closed follows a solve: solved)
        case status
            when 'new' then 'new_open'
            when 'open' then 'new_open'
            when 'closed' then 'solved'
            else status
        end as status_bucket,
        is_inferred,
        started_at,
        ended_at,
        is_current,
        measured_until_at,
        schedule_id,
        (
            {{ epoch_microseconds('measured_until_at') }}
            - {{ epoch_microseconds('started_at') }}
        ) / {{ us_per_second }} as calendar_seconds,
        (until_business_position_us - start_business_position_us) / {{ us_per_second }} as business_seconds,
        start_business_position_us,
        until_business_position_us

    from positioned

)

select * from final
