with

base as (

    select * from {{ ref('base_zendesk__schedules') }}
    where rejection_reason is null and not is_superseded

),

intervals as (

    select
        cast(base.schedule_id as {{ text_type() }}) as schedule_id,
        unnested.interval_number,
        cast(unnested.opening.start_time as integer) as start_minute_of_week,  -- noqa: RF01
        cast(unnested.opening.end_time as integer) as end_minute_of_week  -- noqa: RF01

    from base
    {{ cross_join_unnest('base.intervals', 'unnested', 'opening', position_column='interval_number') }}

),

-- An interval running past midnight (e.g. Friday 22:00 to Saturday 02:00) is one piece per
-- local day it covers, so every row is a window of one weekday.
day_pieces as (

    select
        intervals.*,
        covered_day.day_of_week,
        greatest(intervals.start_minute_of_week, covered_day.day_of_week * 1440) - covered_day.day_of_week * 1440
            as opens_minute_of_day,
        least(intervals.end_minute_of_week, (covered_day.day_of_week + 1) * 1440) - covered_day.day_of_week * 1440
            as closes_minute_of_day

    from intervals
    -- the local days the interval covers, 0 = Sunday (an unnest of the row's own range)
    {{ cross_join_unnest(integer_series(
        integer_divide('intervals.start_minute_of_week', '1440'),
        integer_divide('(intervals.end_minute_of_week - 1)', '1440'),
    ), 'covered_day', 'day_of_week') }}

),

final as (

    select
        schedule_id,
        interval_number,
        start_minute_of_week,
        end_minute_of_week,
        -- Zendesk's week starts on Sunday (day 0); ISO weekdays run Monday 1 to Sunday 7
        case when day_of_week = 0 then 7 else day_of_week end as iso_weekday,
        opens_minute_of_day,
        closes_minute_of_day,
        -- the 'HH:MM' form of seed business_hours ('24:00' = the next midnight)
        lpad(cast({{ integer_divide('opens_minute_of_day', '60') }} as {{ text_type() }}), 2, '0') || ':'
        || lpad(cast(opens_minute_of_day % 60 as {{ text_type() }}), 2, '0') as opens_at,
        lpad(cast({{ integer_divide('closes_minute_of_day', '60') }} as {{ text_type() }}), 2, '0') || ':'
        || lpad(cast(closes_minute_of_day % 60 as {{ text_type() }}), 2, '0') as closes_at

    from day_pieces

)

select * from final
