with

schedules as (

    select * from {{ ref('int_business_schedules') }}

),

seed_hours as (

    select * from {{ ref('business_hours') }}

),

seed_holidays as (

    select * from {{ ref('holidays') }}

),

{% if var('helpdesk') == 'zendesk' %}
exported_hours as (

    select * from {{ ref('stg_zendesk__schedule_intervals') }}

),

exported_holidays as (

    select * from {{ ref('stg_zendesk__schedule_holidays') }}

),
{% endif %}

calendar_dates as (

    {{ daily_date_series(
        "cast('" ~ var('business_calendar_start_date') ~ "' as date)",
        "cast('" ~ var('business_calendar_end_date') ~ "' as date)",
        'calendar_date',
    ) }}

),

-- Opening windows per schedule and ISO weekday, in local wall-clock time: several a day
-- (split shifts) are several rows. Each schedule takes its windows from where it is defined
-- (int_business_schedules.schedule_source), never from both.
opening_hours as (

    select
        seed_hours.schedule_id,
        seed_hours.iso_weekday,
        seed_hours.opens_at,
        seed_hours.closes_at
    from seed_hours
    inner join schedules
        on
            seed_hours.schedule_id = schedules.schedule_id
            and schedules.schedule_source = 'seed'

    {% if var('helpdesk') == 'zendesk' %}
    union all

    select
        exported_hours.schedule_id,
        exported_hours.iso_weekday,
        exported_hours.opens_at,
        exported_hours.closes_at
    from exported_hours
    inner join schedules
        on
            exported_hours.schedule_id = schedules.schedule_id
            and schedules.schedule_source = 'helpdesk_export'
    {% endif %}

),

holiday_dates as (

    select distinct
        seed_holidays.schedule_id,
        seed_holidays.holiday_date
    from seed_holidays
    inner join schedules
        on
            seed_holidays.schedule_id = schedules.schedule_id
            and schedules.schedule_source = 'seed'

    {% if var('helpdesk') == 'zendesk' %}
    union

    -- an exported holiday covers start_date to end_date, both included
    select
        exported_holidays.schedule_id,
        {{ exploded_date_range('exported_holidays.start_date', 'exported_holidays.end_date') }} as holiday_date
    from exported_holidays
    inner join schedules
        on
            exported_holidays.schedule_id = schedules.schedule_id
            and schedules.schedule_source = 'helpdesk_export'
    {% endif %}

),

schedule_days as (

    select
        schedules.schedule_id,
        schedules.timezone,
        calendar_dates.calendar_date,
        holiday_dates.holiday_date is not null as is_holiday

    from schedules
    cross join calendar_dates
    left join holiday_dates
        on
            schedules.schedule_id = holiday_dates.schedule_id
            and calendar_dates.calendar_date = holiday_dates.holiday_date

),

day_windows as (

    -- One row per opening window of each local day. A closed day (no hours that weekday, or a
    -- holiday) keeps one zero-length window at local midnight, so every day has a row and no
    -- offset is ever null.
    select
        schedule_days.schedule_id,
        schedule_days.timezone,
        schedule_days.calendar_date,
        schedule_days.is_holiday,
        -- 'HH:MM' to minutes after local midnight
        coalesce(
            cast(split_part(opening_hours.opens_at, ':', 1) as integer) * 60
            + cast(split_part(opening_hours.opens_at, ':', 2) as integer),
            0
        ) as opens_after_midnight_minutes,
        coalesce(
            cast(split_part(opening_hours.closes_at, ':', 1) as integer) * 60
            + cast(split_part(opening_hours.closes_at, ':', 2) as integer),
            0
        ) as closes_after_midnight_minutes

    from schedule_days
    left join opening_hours
        on
            schedule_days.schedule_id = opening_hours.schedule_id
            and {{ iso_weekday('schedule_days.calendar_date') }} = opening_hours.iso_weekday
            and not schedule_days.is_holiday

),

windows as (

    select
        schedule_id,
        calendar_date,
        is_holiday,
        -- Local wall-clock times read in the schedule's zone, then expressed as naive UTC:
        -- on a DST-change day the window keeps its local hours and its UTC offset shifts.
        {{ local_to_utc_timestamp('calendar_date + opens_after_midnight_minutes * interval 1 minute', 'timezone') }}
            as open_at,
        {{ local_to_utc_timestamp('calendar_date + closes_after_midnight_minutes * interval 1 minute', 'timezone') }}
            as close_at

    from day_windows

),

days as (

    select
        schedule_id,
        calendar_date,
        is_holiday,
        min(open_at) as open_at,
        max(close_at) as close_at,
        {{ sorted_struct_list_agg(['open_at', 'close_at']) }} as windows,
        cast(sum(({{ epoch_seconds('close_at') }} - {{ epoch_seconds('open_at') }}) / 60) as bigint) as business_minutes

    from windows
    group by schedule_id, calendar_date, is_holiday

),

final as (

    select
        schedule_id,
        calendar_date,
        is_holiday,
        open_at,
        close_at,
        windows,
        business_minutes,
        cast(coalesce(
            sum(business_minutes) over (
                partition by schedule_id
                order by calendar_date
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as bigint) as business_minutes_before

    from days

)

select * from final
