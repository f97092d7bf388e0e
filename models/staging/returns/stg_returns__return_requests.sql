with

base as (

    select * from {{ ref('base_returns__return_requests') }}

),

final as (

    select
        ---------- ids
        return_id,
        order_number,
        ticket_id,

        ---------- strings
        customer_email,
        request_type,
        reason_text,
        status,
        currency,

        ---------- numerics
        refund_amount,

        ---------- timestamps
        requested_at,
        -- approval or receipt before the request: that time is unknown (macros/staging/time_order.sql)
        {{ time_or_unknown('base_returns__return_requests', 'approved_at') }} as approved_at,
        {{ time_or_unknown('base_returns__return_requests', 'received_at') }} as received_at,
        refunded_at,
        updated_at

    from base
    where rejection_reason is null and not is_superseded

)

select * from final
