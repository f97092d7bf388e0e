{{ config(
    materialized='incremental',
    incremental_strategy=engine_incremental_strategy('rebuild_keys'),
    unique_key='order_id',
    rebuild_set='int_order_rebuild_set',
    on_schema_change='fail',
    post_hook="{{ record_rebuild_watermark(data_as_of_at('shipping')) }}",
) }}
{#- An order not delivered but promised turns late as the as-of time moves past its promise:
    rebuilt until it is late (then it stays late until a delivery row arrives, which puts it
    in the rebuild set). All of them when the as-of time moved back (an as_of_at var set
    earlier than the last build's, state row of this model). -#}
{%- set as_of_sensitive -%}
    select previous.order_id from {{ this }} as previous
    where
        previous.delivered_at is null
        and previous.promised_delivery_date is not null
        and (
            not previous.is_late
            or {{ as_of_moved_back_since_last_build('shipping') }}
        )
{%- endset %}

-- depends_on: {{ ref('int_order_rebuild_set') }}
with

-- orders rebuilt besides the rebuild set (none on a full build; read by rebuild_filter)
refresh_ids {{ cte_as_materialized() }} (  -- noqa: ST03

    {{ rebuild_extra_keys(as_of_sensitive) }}

),

orders as (
    select * from {{ ref('stg_shopify__orders') }}
    {{ rebuild_filter(also_cte='refresh_ids') }}
),

fulfillments as (
    select * from {{ ref('stg_shipping__fulfillments') }}
    {{ rebuild_filter(also_cte='refresh_ids') }}
),

tracking_events as (
    select * from {{ ref('stg_shipping__tracking_events') }}
),

notifications as (
    select * from {{ ref('stg_shipping__notifications') }}
),

proactive_notification_types as (
    select * from {{ ref('proactive_notification_types') }}
),

as_of as (
    {{ data_as_of_at('shipping') }}
),

-- A split shipment has several fulfillments: the order counts as shipped at the
-- first one and is held to the earliest promise made for it. A shipment dated before its
-- order was created happened at an unknown time: it is shipped, but not then (counted).
order_fulfillments as (
    select
        fulfillments.order_id,
        count(*) as fulfillment_count,
        min(fulfillments.shipped_at) filter (
            where not coalesce(fulfillments.shipped_at < orders.created_at, false)
        ) as shipped_at,
        count(*) filter (where fulfillments.shipped_at < orders.created_at) as shipments_before_order_count,
        min(fulfillments.promised_delivery_date) as promised_delivery_date
    from fulfillments
    left join orders
        on fulfillments.order_id = orders.order_id
    group by fulfillments.order_id
),

order_tracking_numbers as (
    select distinct
        order_id,
        tracking_number
    from fulfillments
    where tracking_number is not null
),

-- A checkpoint dated before the order was created cannot be this order's parcel (a
-- carrier's reused tracking number, a wrong clock): it is left out (counted), so a
-- "delivery" before the order never makes it on time.
tracking_after_order as (
    select
        order_tracking_numbers.order_id,
        tracking_events.tracking_status,
        tracking_events.occurred_at,
        coalesce(tracking_events.occurred_at < orders.created_at, false) as is_before_order
    from order_tracking_numbers
    inner join tracking_events
        on order_tracking_numbers.tracking_number = tracking_events.tracking_number
    left join orders
        on order_tracking_numbers.order_id = orders.order_id
),

order_tracking as (
    select
        order_id,
        min(occurred_at) filter (where tracking_status = 'delivered' and not is_before_order) as delivered_at,
        min(occurred_at) filter (where tracking_status = 'exception' and not is_before_order) as first_exception_at,
        count(*) filter (where is_before_order) as checkpoints_before_order_count
    from tracking_after_order
    group by order_id
),

proactive_notifications as (
    select notifications.*
    from notifications
    inner join proactive_notification_types
        on notifications.notification_type = proactive_notification_types.notification_type
    where proactive_notification_types.is_proactive_update
),

-- Notifications carry the order name and the tracking number; either one is
-- enough to tie a notification to its order.
notified_orders as (
    select
        orders.order_id,
        proactive_notifications.notification_id,
        proactive_notifications.sent_at
    from proactive_notifications
    inner join orders
        on proactive_notifications.order_number = orders.order_number

    union all

    select
        order_tracking_numbers.order_id,
        proactive_notifications.notification_id,
        proactive_notifications.sent_at
    from proactive_notifications
    inner join order_tracking_numbers
        on proactive_notifications.tracking_number = order_tracking_numbers.tracking_number
),

order_notifications as (
    select
        order_id,
        count(distinct notification_id) as proactive_update_count,
        min(sent_at) as first_proactive_update_at
    from notified_orders
    group by order_id
),

joined as (
    select
        orders.order_id,
        orders.order_number,
        orders.customer_email,
        orders.is_cancelled,
        orders.created_at as ordered_at,
        order_fulfillments.shipped_at,
        order_tracking.delivered_at,
        order_tracking.first_exception_at,
        order_notifications.first_proactive_update_at,
        order_fulfillments.promised_delivery_date,
        {{ shipping_local_date('order_tracking.delivered_at') }} as delivered_date,
        {{ shipping_local_date('as_of.as_of_at') }} as as_of_date,
        coalesce(order_fulfillments.fulfillment_count, 0) as fulfillment_count,
        coalesce(order_fulfillments.shipments_before_order_count, 0) as shipments_before_order_count,
        coalesce(order_tracking.checkpoints_before_order_count, 0) as checkpoints_before_order_count,
        coalesce(order_notifications.proactive_update_count, 0) as proactive_update_count
    from orders
    cross join as_of
    left join order_fulfillments
        on orders.order_id = order_fulfillments.order_id
    left join order_tracking
        on orders.order_id = order_tracking.order_id
    left join order_notifications
        on orders.order_id = order_notifications.order_id
),

flagged as (
    select
        *,
        first_exception_at is not null as has_exception,
        first_proactive_update_at is not null as has_proactive_update,
        -- The promise holds until the end of the promised day where the parcel
        -- arrives (shipping_timezone, not the reporting one: a delivery on the
        -- evening of that day is on time); with no promise an order cannot be late.
        coalesce(
            case
                when delivered_at is not null then delivered_date > promised_delivery_date
                else as_of_date > promised_delivery_date
            end,
            false
        ) as is_late
    from joined
),

final as (
    select
        -- ids
        order_id,
        order_number,

        -- strings
        customer_email,
        case
            when has_exception then 'exception'
            when delivered_at is not null and is_late then 'late'
            when delivered_at is not null then 'on_time'
            when is_late then 'late'
            when shipped_at is null and shipments_before_order_count = 0 then 'not_shipped'
            else 'in_transit'
        end as shipping_outcome,

        -- numerics
        fulfillment_count,
        proactive_update_count,
        shipments_before_order_count,
        checkpoints_before_order_count,

        -- booleans
        is_late,
        has_exception,
        has_proactive_update,
        is_cancelled,

        -- dates
        promised_delivery_date,
        delivered_date,

        -- timestamps
        ordered_at,
        shipped_at,
        delivered_at,
        first_exception_at,
        first_proactive_update_at
    from flagged
)

select * from final
