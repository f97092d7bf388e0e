with

base as (

    select * from {{ ref('base_shipping__notifications') }}

),

final as (

    select
        ---------- ids
        notification_id,
        order_number,
        tracking_number,

        ---------- strings
        notification_type,
        channel,

        ---------- timestamps
        sent_at

    from base
    where rejection_reason is null and not is_superseded

)

select * from final
