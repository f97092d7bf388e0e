{#- WISMO ("where is my order") per period and channel (KPI_SPEC item 8): contact rate,
    contacts per 100 shipped orders, first response and resolution time, handling cost. -#}

with

threads as (

    select * from {{ ref('int_ticket_threads') }}

),

contact_reasons as (

    select * from {{ ref('int_ticket_contact_reasons') }}

),

durations as (

    select * from {{ ref('int_ticket_business_durations') }}

),

allocations as (

    select * from {{ ref('int_ticket_cost_allocations') }}

),

orders as (

    select * from {{ ref('int_order_shipping_outcomes') }}

),

grains as (

    select * from {{ reporting_grains() }}

),

-- Every cost the ticket carries, whichever finance month it was booked in.
ticket_costs as (

    select
        ticket_id,
        sum(allocated_amount) as allocated_cost
    from allocations
    where not is_unallocated
    group by ticket_id

),

customer_tickets as (

    select
        threads.ticket_id,
        threads.channel,
        threads.created_at,
        coalesce(contact_reasons.contact_reason = 'wismo', false) as is_wismo,
        durations.first_response_calendar_minutes,
        durations.first_response_business_minutes,
        durations.first_resolution_calendar_minutes,
        durations.first_resolution_business_minutes,
        ticket_costs.allocated_cost
    from threads
    left join contact_reasons
        on threads.ticket_id = contact_reasons.ticket_id
    left join durations
        on threads.ticket_id = durations.ticket_id
    left join ticket_costs
        on threads.ticket_id = ticket_costs.ticket_id
    where threads.is_customer_ticket

),

-- WISMO-only measures (null on other tickets), so the aggregates below need no filters.
wismo_measures as (

    select
        ticket_id,
        channel,
        created_at,
        is_wismo,
        case when is_wismo then first_response_calendar_minutes end as frt_minutes,
        case when is_wismo then first_response_business_minutes end as frt_business_minutes,
        case when is_wismo then first_resolution_calendar_minutes end as resolution_minutes,
        case when is_wismo then first_resolution_business_minutes end as resolution_business_minutes,
        case when is_wismo then allocated_cost end as wismo_cost
    from customer_tickets

),

ticket_periods as (

    select
        grains.period_grain,
        {{ reporting_period_start('grains.period_grain', 'wismo_measures.created_at') }} as period_start,
        wismo_measures.channel,
        count(*) as customer_tickets,
        count(*) filter (where wismo_measures.is_wismo) as wismo_customer_tickets,
        count(wismo_measures.frt_minutes) as wismo_answered_tickets,
        quantile_cont(wismo_measures.frt_minutes, 0.5) as wismo_frt_median_minutes,
        quantile_cont(wismo_measures.frt_minutes, 0.9) as wismo_frt_p90_minutes,
        quantile_cont(wismo_measures.frt_business_minutes, 0.5) as wismo_frt_median_business_minutes,
        quantile_cont(wismo_measures.frt_business_minutes, 0.9) as wismo_frt_p90_business_minutes,
        count(wismo_measures.resolution_minutes) as wismo_resolved_tickets,
        quantile_cont(wismo_measures.resolution_minutes, 0.5) as wismo_resolution_median_minutes,
        quantile_cont(wismo_measures.resolution_minutes, 0.9) as wismo_resolution_p90_minutes,
        quantile_cont(wismo_measures.resolution_business_minutes, 0.5) as wismo_resolution_median_business_minutes,
        quantile_cont(wismo_measures.resolution_business_minutes, 0.9) as wismo_resolution_p90_business_minutes,
        coalesce(sum(wismo_measures.wismo_cost), 0) as wismo_handling_cost
    from wismo_measures
    cross join grains
    group by all

),

shipped_periods as (

    select
        grains.period_grain,
        {{ reporting_period_start('grains.period_grain', 'orders.shipped_at') }} as period_start,
        count(*) as shipped_orders
    from orders
    cross join grains
    where orders.shipped_at is not null
    group by all

),

final as (

    select
        cast(ticket_periods.period_grain as varchar) as period_grain,
        ticket_periods.period_start,
        ticket_periods.channel,
        cast(ticket_periods.wismo_customer_tickets as bigint) as wismo_customer_tickets,
        cast(ticket_periods.customer_tickets as bigint) as customer_tickets,
        cast(ticket_periods.wismo_customer_tickets as double)
        / nullif(ticket_periods.customer_tickets, 0) as wismo_contact_rate,
        cast(coalesce(shipped_periods.shipped_orders, 0) as bigint) as period_shipped_orders,
        100.0 * ticket_periods.wismo_customer_tickets
        / nullif(shipped_periods.shipped_orders, 0) as wismo_per_100_shipped_orders,
        cast(ticket_periods.wismo_answered_tickets as bigint) as wismo_answered_tickets,
        cast(ticket_periods.wismo_frt_median_minutes as double) as wismo_frt_median_minutes,
        cast(ticket_periods.wismo_frt_p90_minutes as double) as wismo_frt_p90_minutes,
        cast(ticket_periods.wismo_frt_median_business_minutes as double) as wismo_frt_median_business_minutes,
        cast(ticket_periods.wismo_frt_p90_business_minutes as double) as wismo_frt_p90_business_minutes,
        cast(ticket_periods.wismo_resolved_tickets as bigint) as wismo_resolved_tickets,
        cast(ticket_periods.wismo_resolution_median_minutes as double) as wismo_resolution_median_minutes,
        cast(ticket_periods.wismo_resolution_p90_minutes as double) as wismo_resolution_p90_minutes,
        cast(
            ticket_periods.wismo_resolution_median_business_minutes as double
        ) as wismo_resolution_median_business_minutes,
        cast(ticket_periods.wismo_resolution_p90_business_minutes as double) as wismo_resolution_p90_business_minutes,
        cast(ticket_periods.wismo_handling_cost as decimal(18, 2)) as wismo_handling_cost
    from ticket_periods
    left join shipped_periods
        on
            ticket_periods.period_grain = shipped_periods.period_grain
            and ticket_periods.period_start = shipped_periods.period_start

)

select * from final
