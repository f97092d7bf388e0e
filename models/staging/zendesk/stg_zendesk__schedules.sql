with

base as (

    select * from {{ ref('base_zendesk__schedules') }}

),

final as (

    select
        ---------- ids
        -- as text: tickets name their schedule by id in text (ticket_events.value_after)
        cast(schedule_id as {{ text_type() }}) as schedule_id,

        ---------- strings
        schedule_name,
        raw_time_zone as zendesk_time_zone,
        timezone,

        ---------- timestamps
        created_at,
        updated_at

    from base
    where rejection_reason is null and not is_superseded

)

select * from final
