{#- MetricFlow's time spine: one row per calendar day over the dates the project reports on
    (the business calendar's range, vars business_calendar_start_date / _end_date). The
    semantic layer truncates it to weeks and months and joins metrics to it. -#}

with

days as (

    {{ date_day_rows(var("business_calendar_start_date"), var("business_calendar_end_date")) }}

),

final as (

    select date_day
    from days

)

select * from final
