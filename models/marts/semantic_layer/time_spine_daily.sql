{#- MetricFlow's time spine: one row per calendar day over the dates the project reports on
    (the business calendar's range, vars business_calendar_start_date / _end_date). The
    semantic layer truncates it to weeks and months and joins metrics to it. -#}

with

days as (

    select cast(range as date) as date_day
    from range(
        date '{{ var("business_calendar_start_date") }}',
        date '{{ var("business_calendar_end_date") }}' + interval 1 day,
        interval 1 day
    )

),

final as (

    select date_day
    from days

)

select * from final
