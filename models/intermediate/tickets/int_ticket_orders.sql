{{ config(
    materialized='incremental',
    incremental_strategy=engine_incremental_strategy('rebuild_keys'),
    unique_key='ticket_id',
    rebuild_set='int_ticket_rebuild_set',
    on_schema_change='fail',
    post_hook="{{ record_rebuild_watermark() }}",
) }}
-- The Shopify order each ticket is about: the helpdesk's order-number field, else the first
-- order number written in the subject or first customer message that exists in Shopify,
-- else the customer's latest order created before the ticket (inferred), else none.
-- A field or text number that matches no Shopify order is not trusted and falls through.

{#- Group 1 captures the number in "#1001", "order 1001", "order no. 1001", "order number: 1001".
    Override with the var when a shop's order names carry a prefix or suffix. -#}
{%- set order_number_pattern = var(
    'order_number_text_pattern',
    '(?i)(?:#|\\border\\s*(?:no\\.?|nr\\.?|num\\.?|number)?\\s*:?\\s*#?\\s*)(\\d{3,})\\b'
) %}

{%- set rebuilt_tickets_orders -%}
    where
        lower(customer_email) in (select lower(threads.customer_email) from threads)
        or order_number in (select threads.order_number_field from threads)
        or order_number in (select text_candidates.order_number from text_candidates)
{%- endset %}

-- depends_on: {{ ref('int_ticket_rebuild_set') }}
with

threads as (
    select * from {{ ref('int_ticket_threads') }}
    {{ rebuild_filter() }}
),

orders as (
    select * from {{ ref('stg_shopify__orders') }}
),

text_numbers as (
    select
        ticket_id,
        1 as text_part,
        regexp_extract_all(subject, {{ regexp_literal(order_number_pattern) }}, 1) as numbers
    from threads

    union all

    select
        ticket_id,
        2 as text_part,
        regexp_extract_all(first_customer_message_text, {{ regexp_literal(order_number_pattern) }}, 1) as numbers
    from threads
),

text_candidates as (
    select
        ticket_id,
        text_part,
        {{ array_elements('numbers', 'order_number', 'number_position') }}
    from text_numbers
    where {{ list_length('numbers') }} > 0
),

-- The orders a ticket can link to: on a rebuild run only those of the rebuilt tickets'
-- customers and order numbers (field or text), which is all any link below can use.
order_lookup as (
    select
        order_id,
        order_number,
        lower(customer_email) as customer_email,
        created_at
    from orders
    {{ rebuilt_tickets_orders if is_rebuild_run() else '' }}
),

field_links as (
    select
        threads.ticket_id,
        order_lookup.order_id,
        order_lookup.order_number
    from threads
    inner join order_lookup
        on threads.order_number_field = order_lookup.order_number
),

text_links as (
    select
        text_candidates.ticket_id,
        {{ arg_min_of(
            'order_lookup.order_id',
            ['text_candidates.text_part', 'text_candidates.number_position', 'order_lookup.order_id'],
        ) }} as order_id
    from text_candidates
    inner join order_lookup
        on text_candidates.order_number = order_lookup.order_number
    group by text_candidates.ticket_id
),

-- An asof join picks any one of several rows with the same key and time: two orders of a
-- customer placed in the same second would make the link change between runs. One row per
-- (customer, created_at) first, the highest order id winning the tie.
orders_by_moment as (
    select
        customer_email,
        created_at,
        max(order_id) as order_id
    from order_lookup
    group by customer_email, created_at
),

inferred_links as (
    {{ latest_earlier_match(
        'threads', 'orders_by_moment', 'ticket_id', 'order_id',
        'lower(threads.customer_email)', 'orders_by_moment.customer_email',
        'threads.created_at', 'orders_by_moment.created_at',
    ) }}
),

final as (
    select
        threads.ticket_id,
        coalesce(field_links.order_id, text_links.order_id, inferred_links.order_id) as order_id,
        order_lookup.order_number,
        case
            when field_links.order_id is not null then 'field'
            when text_links.order_id is not null then 'text'
            when inferred_links.order_id is not null then 'inferred'
            else 'none'
        end as order_link_source
    from threads
    left join field_links
        on threads.ticket_id = field_links.ticket_id
    left join text_links
        on threads.ticket_id = text_links.ticket_id
    left join inferred_links
        on threads.ticket_id = inferred_links.ticket_id
    left join order_lookup
        on coalesce(field_links.order_id, text_links.order_id, inferred_links.order_id) = order_lookup.order_id
)

select * from final
