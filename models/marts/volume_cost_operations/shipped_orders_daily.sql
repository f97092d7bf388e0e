{#- Orders first shipped per reporting day: the denominator of WISMO contacts per 100 shipped
    orders (KPI_SPEC item 8). Orders have no channel, so the wismo mart repeats each period's
    total on every channel row; the semantic layer reads this one-row-per-day table instead,
    so summing days into weeks and months never counts an order twice. -#}

with

orders as (

    select * from {{ ref('int_order_shipping_outcomes') }}

),

final as (

    select
        {{ reporting_date('shipped_at') }} as shipped_date,
        cast(count(*) as bigint) as shipped_orders
    from orders
    where shipped_at is not null
    group by 1

)

select * from final
