/*
    Refund rate per reporting period (of order creation) and currency: refunded orders /
    orders (KPI_SPEC item 11). Shopify is the ledger of money paid back, so an order is
    refunded when Shopify shows any refunded amount. Cancelled orders are counted apart and
    left out of both sides: their automatic refund is a cancellation, not a refund.
*/

with

orders as (

    select
        *,
        -- reporting date once per row, before the fan-out to grains (reporting_time.sql)
        {{ reporting_date('created_at') }} as created_date
    from {{ ref('stg_shopify__orders') }}

),

grains as (

    select * from {{ reporting_grains() }}

),

order_periods as (

    select
        grains.period_grain,
        {{ reporting_period_start_of_date('grains.period_grain', 'orders.created_date') }} as period_start,
        orders.currency,
        orders.is_cancelled,
        orders.financial_status,
        orders.total_amount,
        orders.refunded_amount

    from orders
    cross join grains

),

aggregated as (

    select
        period_grain,
        period_start,
        currency,
        count(*) as total_orders,
        count(*) filter (where is_cancelled) as cancelled_orders,
        count(*) filter (where not is_cancelled) as orders,
        count(*) filter (where not is_cancelled and refunded_amount > 0) as refunded_orders,
        count(*) filter (
            where not is_cancelled and financial_status = 'refunded'
        ) as fully_refunded_orders,
        coalesce(sum(total_amount) filter (where not is_cancelled), 0) as order_amount,
        coalesce(sum(refunded_amount) filter (where not is_cancelled), 0) as refunded_amount

    from order_periods
    group by period_grain, period_start, currency

),

final as (

    select
        period_grain,
        period_start,
        currency,
        total_orders,
        cancelled_orders,
        orders,
        refunded_orders,
        fully_refunded_orders,
        cast(refunded_orders / nullif(orders, 0) as double) as refund_rate,
        cast(order_amount as decimal(18, 2)) as order_amount,
        cast(refunded_amount as decimal(18, 2)) as refunded_amount,
        cast({{ divide_as_double('refunded_amount', 'nullif(order_amount, 0)') }} as double) as refunded_amount_share

    from aggregated

)

select * from final
