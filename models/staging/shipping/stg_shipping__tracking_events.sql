with

base as (

    select * from {{ ref('base_shipping__tracking_events') }}

),

final as (

    select
        ---------- ids
        tracking_event_id,
        tracking_number,

        ---------- strings
        carrier,
        tracking_status,
        location,
        message,

        ---------- timestamps
        occurred_at

    from base
    where rejection_reason is null and not is_superseded

)

select * from final
