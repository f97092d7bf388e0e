with

base as (

    select * from {{ ref('base_returns__return_requests') }}

),

final as (

    select
        ---------- ids
        base.return_id,
        base.order_number,
        base.ticket_id,

        ---------- strings
        base.customer_email,
        base.request_type,
        base.reason_text,
        base.status,
        base.currency,

        ---------- numerics
        base.refund_amount,
        -- staging quarantined every refund without a rate for its month: null only when
        -- there is no refund amount
        case
            when base.refund_amount is not null then {{ fx_rate_to_reporting('base.currency') }}
        end as fx_rate_to_reporting,
        cast(base.refund_amount * {{ fx_rate_to_reporting('base.currency') }} as decimal(18, 2))
            as refund_amount_reporting,

        ---------- timestamps
        base.requested_at,
        -- approval or receipt before the request: that time is unknown (macros/staging/time_order.sql)
        {{ time_or_unknown('base_returns__return_requests', 'approved_at') }} as approved_at,
        {{ time_or_unknown('base_returns__return_requests', 'received_at') }} as received_at,
        base.refunded_at,
        base.updated_at

    from base
    {{ fx_rate_join('base.currency', refund_fx_month('base.refunded_at', 'base.requested_at')) }}
    where base.rejection_reason is null and not base.is_superseded

)

select * from final
