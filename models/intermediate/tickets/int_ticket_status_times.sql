-- One row per ticket: time spent in each status bucket from creation until the ticket's last
-- solve (Zendesk Explore's "full resolution" convention), calendar and business, and the
-- wait metrics built from them. Null for a ticket not solved (its clocks still run: the SLA
-- model ages those) and for one closed at an unknown time.
{#- Microseconds per minute; durations divide in double precision on every engine. -#}
{%- set us_per_minute = decimal_divisor('60000000.0') %}

with

tickets as (

    select * from {{ ref('int_ticket_threads') }}

),

periods as (

    select * from {{ ref('int_ticket_status_periods') }}

),

as_of as (

    {{ data_as_of_at('helpdesk') }}

),

solved_tickets as (

    -- solved at the as-of time (a solve after it, with var as_of_at set in the past, has
    -- not happened yet)
    select
        tickets.ticket_id,
        tickets.last_solved_at

    from tickets
    cross join as_of
    where tickets.last_solved_at <= as_of.as_of_at

),

last_solve_positions as (

    -- F(last solve): the last solve is a step of int_ticket_status_periods (inferred when no
    -- event shows it), so it is the start of a solved period of the ticket.
    select
        periods.ticket_id,
        min(periods.start_business_position_us) as last_solve_business_position_us

    from periods
    inner join solved_tickets
        on
            periods.ticket_id = solved_tickets.ticket_id
            and periods.started_at = solved_tickets.last_solved_at

    group by periods.ticket_id

),

clipped as (

    -- Each period's part before the last solve.
    select
        periods.ticket_id,
        periods.status_bucket,
        {{ epoch_microseconds('least(periods.measured_until_at, solved_tickets.last_solved_at)') }}
        - {{ epoch_microseconds('periods.started_at') }} as calendar_us,
        -- least() skips nulls in DuckDB: a missing position must give a null, not a clip
        case
            when last_solve_positions.last_solve_business_position_us is not null
                then
                    least(periods.until_business_position_us, last_solve_positions.last_solve_business_position_us)
                    - periods.start_business_position_us
        end as business_us

    from periods
    inner join solved_tickets
        on periods.ticket_id = solved_tickets.ticket_id
    left join last_solve_positions
        on periods.ticket_id = last_solve_positions.ticket_id
    where periods.started_at < solved_tickets.last_solved_at

),

summed as (

    select
        solved_tickets.ticket_id,
        coalesce(sum(clipped.calendar_us) filter (where clipped.status_bucket = 'new_open'), 0) as new_open_calendar_us,
        coalesce(sum(clipped.business_us) filter (where clipped.status_bucket = 'new_open'), 0) as new_open_business_us,
        coalesce(sum(clipped.calendar_us) filter (where clipped.status_bucket = 'pending'), 0) as pending_calendar_us,
        coalesce(sum(clipped.business_us) filter (where clipped.status_bucket = 'pending'), 0) as pending_business_us,
        coalesce(sum(clipped.calendar_us) filter (where clipped.status_bucket = 'on_hold'), 0) as on_hold_calendar_us,
        coalesce(sum(clipped.business_us) filter (where clipped.status_bucket = 'on_hold'), 0) as on_hold_business_us,
        coalesce(sum(clipped.calendar_us) filter (where clipped.status_bucket = 'solved'), 0) as solved_calendar_us,
        coalesce(sum(clipped.business_us) filter (where clipped.status_bucket = 'solved'), 0) as solved_business_us,
        -- a business sum is unknown when one of its periods fell outside the calendar
        count(*) filter (where clipped.ticket_id is not null and clipped.business_us is null) = 0
            as is_business_time_known

    from solved_tickets
    left join clipped
        on solved_tickets.ticket_id = clipped.ticket_id
    group by solved_tickets.ticket_id

),

final as (

    select
        ticket_id,
        -- requester wait: the customer waits on the brand (new, open, on hold)
        (new_open_calendar_us + on_hold_calendar_us) / {{ us_per_minute }} as requester_wait_calendar_minutes,
        case when is_business_time_known then (new_open_business_us + on_hold_business_us) / {{ us_per_minute }} end
            as requester_wait_business_minutes,
        -- agent work: the ticket is with an agent to act on (new, open)
        new_open_calendar_us / {{ us_per_minute }} as agent_work_calendar_minutes,
        case when is_business_time_known then new_open_business_us / {{ us_per_minute }} end
            as agent_work_business_minutes,
        -- agent wait: the agent waits on the customer (pending)
        pending_calendar_us / {{ us_per_minute }} as agent_wait_calendar_minutes,
        case when is_business_time_known then pending_business_us / {{ us_per_minute }} end
            as agent_wait_business_minutes,
        on_hold_calendar_us / {{ us_per_minute }} as on_hold_calendar_minutes,
        case when is_business_time_known then on_hold_business_us / {{ us_per_minute }} end as on_hold_business_minutes,
        -- solved, then reopened: between a solve and the reopen, before the last solve
        solved_calendar_us / {{ us_per_minute }} as solved_before_reopen_calendar_minutes,
        case when is_business_time_known then solved_business_us / {{ us_per_minute }} end
            as solved_before_reopen_business_minutes,
        is_business_time_known

    from summed

)

select * from final
