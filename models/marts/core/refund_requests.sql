/*
    One row per returns-app request (refund, return or exchange) with the order's shipping
    context and the linked ticket's contact reason, aged at the data's as-of time.
    Definitions: docs/decisions/experience_and_refunds.md.
*/

with

refund_requests as (

    select * from {{ ref('int_refund_requests') }}

),

orders as (

    select * from {{ ref('stg_shopify__orders') }}

),

order_outcomes as (

    select * from {{ ref('int_order_shipping_outcomes') }}

),

tickets as (

    select * from {{ ref('tickets') }}

),

as_of as (

    {{ data_as_of_at('returns') }}

),

joined as (

    select
        refund_requests.*,
        orders.total_amount as order_total_amount,
        orders.currency as order_currency,
        orders.created_at as ordered_at,
        order_outcomes.shipping_outcome as order_shipping_outcome,
        order_outcomes.delivered_at as order_delivered_at,
        tickets.channel as ticket_channel,
        tickets.contact_reason as ticket_contact_reason,
        tickets.created_at as ticket_created_at,
        as_of.as_of_at,
        -- A paid-out refund completes the request whatever its status says; otherwise an
        -- open request is open, and a done one closed without money back (exchange, rejection).
        case
            when refund_requests.refunded_at is not null then 'refunded'
            when refund_requests.is_open then 'open'
            else 'closed_without_refund'
        end as request_outcome

    from refund_requests
    left join orders
        on refund_requests.order_id = orders.order_id
    left join order_outcomes
        on refund_requests.order_id = order_outcomes.order_id
    left join tickets
        on refund_requests.ticket_id = tickets.ticket_id
    cross join as_of

),

final as (

    select
        -- ids
        return_id,
        order_id,
        order_number,
        ticket_id,
        refund_reason_rule_id,

        -- strings
        customer_email,
        request_type,
        refund_reason,
        reason_text,
        status,
        request_outcome,
        currency,
        reporting_currency,
        order_currency,
        order_shipping_outcome,
        ticket_channel,
        ticket_contact_reason,

        -- numerics
        refund_amount,
        fx_rate_to_reporting,
        refund_amount_reporting,
        order_total_amount,
        resolution_hours,
        resolution_hours / 24.0 as resolution_days,
        case
            when request_outcome = 'open' and requested_at <= as_of_at
                then ({{ epoch_seconds('as_of_at') }} - {{ epoch_seconds('requested_at') }}) / 3600.0
        end as open_age_hours,

        -- booleans
        request_outcome = 'refunded' as is_refund_completed,
        request_outcome = 'open' and requested_at <= as_of_at as is_open_at_as_of,
        ticket_id is not null as has_linked_ticket,
        order_id is not null as has_order_match,

        -- timestamps
        requested_at,
        approved_at,
        received_at,
        refunded_at,
        ordered_at,
        order_delivered_at,
        ticket_created_at,
        as_of_at

    from joined

)

select * from final
