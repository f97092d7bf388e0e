with

base as (

    select * from {{ ref('base_shopify__orders') }}

),

final as (

    select
        ---------- ids
        order_id,
        order_number,
        line_number,

        ---------- strings
        product_name,
        sku,

        ---------- numerics
        quantity,
        unit_price

    from base
    where rejection_reason is null and not is_superseded

)

select * from final
