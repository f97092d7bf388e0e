with

schedules as (

    select * from {{ ref('business_schedules') }}

),

business_hours as (

    select * from {{ ref('business_hours') }}

),

holidays as (

    select * from {{ ref('holidays') }}

),

calendar_dates as (

    select cast(generate_series as date) as calendar_date
    from generate_series(
        cast('{{ var("business_calendar_start_date") }}' as date),
        cast('{{ var("business_calendar_end_date") }}' as date),
        interval 1 day
    )

),

schedule_days as (

    select
        schedules.schedule_id,
        schedules.timezone,
        calendar_dates.calendar_date,
        holidays.holiday_date is not null as is_holiday,
        -- 'HH:MM' to minutes after local midnight; closed days (no hours row, or a holiday)
        -- become a zero-length window at local midnight so no column is ever null.
        case
            when business_hours.opens_at is not null and holidays.holiday_date is null
                then
                    cast(split_part(business_hours.opens_at, ':', 1) as integer) * 60
                    + cast(split_part(business_hours.opens_at, ':', 2) as integer)
            else 0
        end as opens_after_midnight_minutes,
        case
            when business_hours.closes_at is not null and holidays.holiday_date is null
                then
                    cast(split_part(business_hours.closes_at, ':', 1) as integer) * 60
                    + cast(split_part(business_hours.closes_at, ':', 2) as integer)
            else 0
        end as closes_after_midnight_minutes

    from schedules
    cross join calendar_dates
    left join business_hours
        on
            schedules.schedule_id = business_hours.schedule_id
            and isodow(calendar_dates.calendar_date) = business_hours.iso_weekday
    left join holidays
        on
            schedules.schedule_id = holidays.schedule_id
            and calendar_dates.calendar_date = holidays.holiday_date

),

windows as (

    select
        schedule_id,
        calendar_date,
        is_holiday,
        -- Local wall-clock times read in the schedule's zone, then expressed as naive UTC:
        -- on a DST-change day the window keeps its local hours and its UTC offset shifts.
        timezone(
            'UTC',
            timezone(timezone, calendar_date + opens_after_midnight_minutes * interval 1 minute)
        ) as open_at,
        timezone(
            'UTC',
            timezone(timezone, calendar_date + closes_after_midnight_minutes * interval 1 minute)
        ) as close_at

    from schedule_days

),

final as (

    select
        schedule_id,
        calendar_date,
        is_holiday,
        open_at,
        close_at,
        cast((epoch(close_at) - epoch(open_at)) / 60 as bigint) as business_minutes,
        cast(coalesce(
            sum(cast((epoch(close_at) - epoch(open_at)) / 60 as bigint)) over (
                partition by schedule_id
                order by calendar_date
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as bigint) as business_minutes_before

    from windows

)

select * from final
