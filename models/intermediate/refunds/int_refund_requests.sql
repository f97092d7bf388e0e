with

return_requests as (
    select * from {{ ref('stg_returns__return_requests') }}
),

orders as (
    select * from {{ ref('stg_shopify__orders') }}
),

refund_reason_rules as (
    select * from {{ ref('refund_reason_rules') }}
),

-- Every rule that matches the free text, strongest (lowest priority) first;
-- the join is requests x rules, which stays small because rules are few.
best_reason_rule as (
    select
        return_requests.return_id,
        refund_reason_rules.rule_id,
        refund_reason_rules.refund_reason
    from return_requests
    inner join refund_reason_rules
        on regexp_matches(return_requests.reason_text, refund_reason_rules.pattern, 'i')
    qualify row_number() over (
        partition by return_requests.return_id
        order by refund_reason_rules.priority, refund_reason_rules.rule_id
    ) = 1
),

final as (
    select
        -- ids
        return_requests.return_id,
        orders.order_id,
        return_requests.order_number,
        return_requests.ticket_id,
        best_reason_rule.rule_id as refund_reason_rule_id,

        -- strings
        return_requests.customer_email,
        return_requests.request_type,
        return_requests.reason_text,
        coalesce(best_reason_rule.refund_reason, 'other') as refund_reason,
        return_requests.status,
        return_requests.currency,

        -- numerics
        return_requests.refund_amount,
        -- Calendar hours from the request to the refund being paid out;
        -- null until a refund is completed.
        (epoch(return_requests.refunded_at) - epoch(return_requests.requested_at)) / 3600.0 as resolution_hours,

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
    left join best_reason_rule
        on return_requests.return_id = best_reason_rule.return_id
)

select * from final
