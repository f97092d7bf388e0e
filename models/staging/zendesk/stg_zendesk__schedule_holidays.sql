with

base as (

    select * from {{ ref('base_zendesk__schedules') }}
    where rejection_reason is null and not is_superseded

),

final as (

    select
        ---------- ids
        cast(base.schedule_id as {{ text_type() }}) as schedule_id,
        nullif(trim(unnested.holiday.id), '') as holiday_id,  -- noqa: RF01

        ---------- strings
        nullif(trim(unnested.holiday.name), '') as holiday_name,  -- noqa: RF01

        ---------- dates (local to the schedule, both included)
        cast(unnested.holiday.start_date as date) as start_date,  -- noqa: RF01
        cast(unnested.holiday.end_date as date) as end_date  -- noqa: RF01

    from base
    {{ cross_join_unnest('base.holidays', 'unnested', 'holiday') }}

)

select * from final
