with

return_requests as (
    select * from {{ ref('stg_returns__return_requests') }}
),

orders as (
    select * from {{ ref('stg_shopify__orders') }}
),

refund_reason_rule_matches as (
    select * from {{ ref('int_refund_reason_rule_matches') }}
),

final as (
    select
        -- ids
        return_requests.return_id,
        orders.order_id,
        return_requests.order_number,
        return_requests.ticket_id,
        refund_reason_rule_matches.refund_reason_rule_id,

        -- strings
        return_requests.customer_email,
        return_requests.request_type,
        return_requests.reason_text,
        coalesce(refund_reason_rule_matches.rule_refund_reason, 'other') as refund_reason,
        return_requests.status,
        return_requests.currency,
        '{{ reporting_currency() }}' as reporting_currency,

        -- numerics
        return_requests.refund_amount,
        return_requests.fx_rate_to_reporting,
        return_requests.refund_amount_reporting,
        -- Calendar hours from the request to the refund being paid out;
        -- null until a refund is completed.
        (
            {{ epoch_seconds('return_requests.refunded_at') }}
            - {{ epoch_seconds('return_requests.requested_at') }}
        ) / 3600.0 as resolution_hours,

        -- booleans
        return_requests.status not in ('refunded', 'rejected', 'cancelled', 'closed') as is_open,

        -- timestamps
        return_requests.requested_at,
        return_requests.approved_at,
        return_requests.received_at,
        return_requests.refunded_at
    from return_requests
    left join orders
        on return_requests.order_number = orders.order_number
    -- the strongest rule matching reason_text (lowest priority, then rule_id); no match = 'other'
    left join refund_reason_rule_matches
        on return_requests.return_id = refund_reason_rule_matches.return_id
)

select * from final
