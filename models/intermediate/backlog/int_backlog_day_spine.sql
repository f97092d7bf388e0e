{#- One row per reporting day from the first customer ticket's day to the as-of day, with
    the instant (naive UTC) at which that day's backlog snapshot is taken. -#}

with

open_periods as (

    select * from {{ ref('int_ticket_open_periods') }}

),

as_of as (

    {{ data_as_of_at('helpdesk') }}

),

bounds as (

    select
        min({{ reporting_date('open_periods.ticket_created_at') }}) as first_date,
        max({{ reporting_date('as_of.as_of_at') }}) as last_date
    from open_periods
    cross join as_of

),

days as (

    select cast(spine.day_start as date) as snapshot_date
    from bounds
    {{ cross_join_daily_timestamps(
        'cast(bounds.first_date as timestamp)', 'cast(bounds.last_date as timestamp)', 'spine', 'day_start'
    ) }}

),

-- A day ends at the next local midnight, converted back to naive UTC: the inverse of
-- macros/reporting (local wall time in the reporting timezone -> instant -> UTC), so a
-- DST day is 23 or 25 hours long.
day_ends as (

    select
        snapshot_date,
        {{ local_to_utc_timestamp('cast(snapshot_date + 1 as timestamp)', "'" ~ var('reporting_timezone') ~ "'") }}
            as day_end_at
    from days

),

final as (

    select
        day_ends.snapshot_date,
        day_ends.day_end_at,
        -- the as-of day is cut at the as-of time, so no snapshot looks into the future
        least(day_ends.day_end_at, as_of.as_of_at) as snapshot_at,
        day_ends.day_end_at > as_of.as_of_at as is_partial_day,
        as_of.as_of_at
    from day_ends
    cross join as_of

)

select * from final
