with

base as (

    select * from {{ ref('base_zendesk__schedules') }}
    where rejection_reason is null and not is_superseded

),

final as (

    select
        ---------- ids
        cast(base.schedule_id as varchar) as schedule_id,
        nullif(trim(unnested.holiday.id), '') as holiday_id,

        ---------- strings
        nullif(trim(unnested.holiday.name), '') as holiday_name,

        ---------- dates (local to the schedule, both included)
        cast(unnested.holiday.start_date as date) as start_date,
        cast(unnested.holiday.end_date as date) as end_date

    from base
    cross join unnest(base.holidays) as unnested (holiday)

)

select * from final
