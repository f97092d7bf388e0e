{{ config(
    pre_hook="{{ create_rebuild_state_table() }}",
    post_hook="{{ record_rebuild_set_loaded_through([
        ref('base_shopify__orders'),
        ref('base_shipping__fulfillments'),
        ref('base_shipping__tracking_events'),
        ref('base_shipping__notifications'),
    ]) }}",
) }}
-- The orders an incremental run rebuilds in the order models (macros/incremental/keyed_rebuild.sql):
-- orders with an export row loaded since the oldest watermark of those models, in any of
-- the four exports that describe an order's shipping: the order itself, its fulfillments,
-- tracking events of its tracking numbers, notifications naming its number or tracking
-- number. With no watermark yet (first build, or models built before this existed) it
-- lists every order.

{%- set watermark = rebuild_watermark() %}
{#- Without a watermark nothing counts as newly loaded and `final` takes every order. -#}
{%- set new_since = loaded_after(watermark) %}

with

current_orders as (

    select * from {{ ref('stg_shopify__orders') }}

),

current_fulfillments as (

    select * from {{ ref('stg_shipping__fulfillments') }}

),

order_loads as (

    select * from {{ ref('base_shopify__orders') }}

),

fulfillment_loads as (

    select * from {{ ref('base_shipping__fulfillments') }}

),

tracking_event_loads as (

    select * from {{ ref('base_shipping__tracking_events') }}

),

notification_loads as (

    select * from {{ ref('base_shipping__notifications') }}

),

loaded_order_ids as (

    select order_id from order_loads
    where loaded_at > {{ new_since }}

    union

    select order_id from fulfillment_loads
    where loaded_at > {{ new_since }}

),

loaded_order_numbers as (

    select order_number from fulfillment_loads
    where loaded_at > {{ new_since }}

    union

    select order_number from notification_loads
    where loaded_at > {{ new_since }}

),

loaded_tracking_numbers as (

    select tracking_number from tracking_event_loads
    where loaded_at > {{ new_since }}

    union

    select tracking_number from notification_loads
    where loaded_at > {{ new_since }}

),

changed_orders as (

    select order_id from loaded_order_ids

    union

    select current_orders.order_id
    from current_orders
    inner join loaded_order_numbers
        on current_orders.order_number = loaded_order_numbers.order_number

    union

    select current_fulfillments.order_id
    from current_fulfillments
    inner join loaded_tracking_numbers
        on current_fulfillments.tracking_number = loaded_tracking_numbers.tracking_number

),

final as (

    select order_id from current_orders
    where {{ watermark is none }}

    union

    select order_id from changed_orders
    where {{ watermark is not none }} and order_id is not null

)

select * from final
