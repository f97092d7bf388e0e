with

base as (

    select * from {{ ref('base_gorgias__ticket_events') }}

),

final as (

    select
        ---------- ids
        ticket_event_id,
        ticket_id,
        user_id,

        ---------- strings
        event_type,
        raw_event_type,

        ---------- timestamps
        occurred_at

    from base
    where rejection_reason is null and not is_superseded

)

select * from final
