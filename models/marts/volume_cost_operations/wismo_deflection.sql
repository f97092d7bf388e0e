{#- WISMO deflection by proactive shipping updates (KPI_SPEC item 8), per order month and
    shipping outcome: notified orders are compared with orders of the same outcome that got
    no update, whose WISMO rate per order gives the contacts the notified orders would
    have made without the update. -#}

with

orders as (

    select * from {{ ref('int_order_shipping_outcomes') }}

),

tickets as (

    select * from {{ ref('tickets') }}

),

-- WISMO customer tickets linked to an order; an order asked about twice counts twice.
order_wismo_contacts as (

    select
        order_id,
        count(*) as wismo_contacts
    from tickets
    where
        is_customer_ticket
        and contact_reason = 'wismo'
        and order_id is not null
    group by order_id

),

order_months as (

    select
        {{ reporting_period_start("'month'", 'orders.ordered_at') }} as order_month_start,
        orders.shipping_outcome,
        coalesce(orders.has_proactive_update, false) as is_notified,
        coalesce(order_wismo_contacts.wismo_contacts, 0) as wismo_contacts
    from orders
    left join order_wismo_contacts
        on orders.order_id = order_wismo_contacts.order_id

),

counted as (

    select
        order_month_start,
        shipping_outcome,
        count(*) filter (where is_notified) as notified_orders,
        count(*) filter (where not is_notified) as non_notified_orders,
        coalesce(sum(wismo_contacts) filter (where is_notified), 0) as notified_wismo_contacts,
        coalesce(sum(wismo_contacts) filter (where not is_notified), 0) as non_notified_wismo_contacts
    from order_months
    group by order_month_start, shipping_outcome

),

expected as (

    select
        *,
        cast(non_notified_wismo_contacts as double) / nullif(non_notified_orders, 0)
            as non_notified_wismo_contacts_per_order,
        notified_orders * (cast(non_notified_wismo_contacts as double) / nullif(non_notified_orders, 0))
            as expected_notified_wismo_contacts
    from counted

),

deflected as (

    select
        *,
        -- greatest() skips nulls: without comparable orders nothing is expected, so nothing is deflected
        case
            when expected_notified_wismo_contacts is not null
                then greatest(expected_notified_wismo_contacts - notified_wismo_contacts, 0)
        end as deflected_wismo_contacts
    from expected

),

final as (

    select
        order_month_start,
        cast(shipping_outcome as {{ text_type() }}) as shipping_outcome,
        cast(notified_orders as bigint) as notified_orders,
        cast(non_notified_orders as bigint) as non_notified_orders,
        cast(notified_wismo_contacts as bigint) as notified_wismo_contacts,
        cast(non_notified_wismo_contacts as bigint) as non_notified_wismo_contacts,
        cast(notified_wismo_contacts + non_notified_wismo_contacts as bigint) as all_wismo_contacts,
        cast(non_notified_wismo_contacts_per_order as double) as non_notified_wismo_contacts_per_order,
        cast(expected_notified_wismo_contacts as double) as expected_notified_wismo_contacts,
        cast(deflected_wismo_contacts as double) as deflected_wismo_contacts,
        cast(
            deflected_wismo_contacts
            / nullif(deflected_wismo_contacts + notified_wismo_contacts + non_notified_wismo_contacts, 0)
            as double
        ) as deflection_rate
    from deflected

)

select * from final
