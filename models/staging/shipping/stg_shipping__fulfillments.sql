with

base as (

    select * from {{ ref('base_shipping__fulfillments') }}

),

final as (

    select
        ---------- ids
        fulfillment_id,
        order_id,
        order_number,
        tracking_number,

        ---------- strings
        carrier,
        service_level,

        ---------- dates
        promised_delivery_date,

        ---------- timestamps
        shipped_at,
        updated_at

    from base
    where rejection_reason is null and not is_superseded

)

select * from final
