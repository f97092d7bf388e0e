{#- WISMO ("where is my order") per period and channel (KPI_SPEC item 8): contact rate,
    contacts per 100 shipped orders, first response and resolution time, handling cost. -#}

with

-- The tickets mart already joins each ticket's contact reason, durations and allocated cost
-- (reading it instead of the four intermediates halved this model's time and memory at 10M).
tickets as (

    select * from {{ ref('tickets') }}

),

orders as (

    select
        *,
        -- reporting date once per row, before the fan-out to grains (reporting_time.sql)
        {{ reporting_date('shipped_at') }} as shipped_date
    from {{ ref('int_order_shipping_outcomes') }}

),

grains as (

    select * from {{ reporting_grains() }}

),

customer_tickets as (

    select
        ticket_id,
        channel,
        created_date,
        coalesce(contact_reason = 'wismo', false) as is_wismo,
        first_response_calendar_minutes,
        first_response_business_minutes,
        first_resolution_calendar_minutes,
        first_resolution_business_minutes,
        -- every cost the ticket carries, whichever finance month it was booked in, in the
        -- reporting currency (the only one that adds up across ledger currencies)
        allocated_cost_reporting
    from tickets
    where is_customer_ticket

),

-- WISMO-only measures (null on other tickets), so the aggregates below need no filters.
wismo_measures as (

    select
        ticket_id,
        channel,
        created_date,
        is_wismo,
        case when is_wismo then first_response_calendar_minutes end as frt_minutes,
        case when is_wismo then first_response_business_minutes end as frt_business_minutes,
        case when is_wismo then first_resolution_calendar_minutes end as resolution_minutes,
        case when is_wismo then first_resolution_business_minutes end as resolution_business_minutes,
        case when is_wismo then allocated_cost_reporting end as wismo_cost
    from customer_tickets

),

ticket_periods as (

    select
        grains.period_grain,
        {{ reporting_period_start_of_date('grains.period_grain', 'wismo_measures.created_date') }} as period_start,
        wismo_measures.channel,
        count(*) as customer_tickets,
        count(*) filter (where wismo_measures.is_wismo) as wismo_customer_tickets,
        count(wismo_measures.frt_minutes) as wismo_answered_tickets,
        -- median and p90 from one sort: a list of quantiles costs one aggregate, not two
        {{ quantile_cont_exact('wismo_measures.frt_minutes', [0.5, 0.9]) }} as wismo_frt_minutes_quantiles,
        {{ quantile_cont_exact('wismo_measures.frt_business_minutes', [0.5, 0.9]) }}
            as wismo_frt_business_minutes_quantiles,
        count(wismo_measures.resolution_minutes) as wismo_resolved_tickets,
        {{ quantile_cont_exact('wismo_measures.resolution_minutes', [0.5, 0.9]) }}
            as wismo_resolution_minutes_quantiles,
        {{ quantile_cont_exact('wismo_measures.resolution_business_minutes', [0.5, 0.9]) }}
            as wismo_resolution_business_minutes_quantiles,
        coalesce(sum(wismo_measures.wismo_cost), 0) as wismo_handling_cost
    from wismo_measures
    cross join grains
    group by all

),

shipped_periods as (

    select
        grains.period_grain,
        {{ reporting_period_start_of_date('grains.period_grain', 'orders.shipped_date') }} as period_start,
        count(*) as shipped_orders
    from orders
    cross join grains
    where orders.shipped_at is not null
    group by all

),

final as (

    select
        cast(ticket_periods.period_grain as {{ text_type() }}) as period_grain,
        ticket_periods.period_start,
        ticket_periods.channel,
        cast(ticket_periods.wismo_customer_tickets as bigint) as wismo_customer_tickets,
        cast(ticket_periods.customer_tickets as bigint) as customer_tickets,
        cast(ticket_periods.wismo_customer_tickets as double)
        / nullif(ticket_periods.customer_tickets, 0) as wismo_contact_rate,
        cast(coalesce(shipped_periods.shipped_orders, 0) as bigint) as period_shipped_orders,
        {{ divide_as_double(
            '100.0 * ticket_periods.wismo_customer_tickets', 'nullif(shipped_periods.shipped_orders, 0)'
        ) }} as wismo_per_100_shipped_orders,
        cast(ticket_periods.wismo_answered_tickets as bigint) as wismo_answered_tickets,
        {{ list_item('ticket_periods.wismo_frt_minutes_quantiles', 1) }} as wismo_frt_median_minutes,
        {{ list_item('ticket_periods.wismo_frt_minutes_quantiles', 2) }} as wismo_frt_p90_minutes,
        {{ list_item('ticket_periods.wismo_frt_business_minutes_quantiles', 1) }} as wismo_frt_median_business_minutes,
        {{ list_item('ticket_periods.wismo_frt_business_minutes_quantiles', 2) }} as wismo_frt_p90_business_minutes,
        cast(ticket_periods.wismo_resolved_tickets as bigint) as wismo_resolved_tickets,
        {{ list_item('ticket_periods.wismo_resolution_minutes_quantiles', 1) }} as wismo_resolution_median_minutes,
        {{ list_item('ticket_periods.wismo_resolution_minutes_quantiles', 2) }} as wismo_resolution_p90_minutes,
        {{ list_item('ticket_periods.wismo_resolution_business_minutes_quantiles', 1) }}
            as wismo_resolution_median_business_minutes,
        {{ list_item('ticket_periods.wismo_resolution_business_minutes_quantiles', 2) }}
            as wismo_resolution_p90_business_minutes,
        cast(ticket_periods.wismo_handling_cost as decimal(18, 2)) as wismo_handling_cost
    from ticket_periods
    left join shipped_periods
        on
            ticket_periods.period_grain = shipped_periods.period_grain
            and ticket_periods.period_start = shipped_periods.period_start

)

select * from final
