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
        approved_at,
        received_at,
        refunded_at,
        updated_at

    from base
    where rejection_reason is null and not is_superseded

)

select * from final
