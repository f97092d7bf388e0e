/*
    Refund requests per reporting period (of the request) x contact reason of the helpdesk
    ticket the returns app links them to (KPI_SPEC item 11), so refunds driven by product
    problems (damaged_defective, product_question_troubleshooting) and by operational ones
    (wismo, wrong_item, address_change) separate. Requests without a linked ticket are kept
    under `no_linked_ticket`, so the rows add up to every request.
*/

with

refund_requests as (

    select
        *,
        -- reporting date once per row, before the fan-out to grains (reporting_time.sql)
        {{ reporting_date('requested_at') }} as requested_date
    from {{ ref('refund_requests') }}

),

grains as (

    select * from {{ reporting_grains() }}

),

request_periods as (

    select
        grains.period_grain,
        {{ reporting_period_start_of_date('grains.period_grain', 'refund_requests.requested_date') }} as period_start,
        case
            when refund_requests.ticket_id is null then 'no_linked_ticket'
            else coalesce(refund_requests.ticket_contact_reason, 'unknown_ticket')
        end as ticket_contact_reason,
        refund_requests.currency,
        refund_requests.reporting_currency,
        refund_requests.request_outcome,
        refund_requests.refund_amount,
        refund_requests.refund_amount_reporting

    from refund_requests
    cross join grains

),

aggregated as (

    select
        period_grain,
        period_start,
        ticket_contact_reason,
        currency,
        reporting_currency,
        count(*) as refund_requests,
        count(*) filter (where request_outcome = 'refunded') as completed_refunds,
        count(*) filter (where request_outcome = 'open') as open_requests,
        coalesce(sum(refund_amount) filter (where request_outcome = 'refunded'), 0) as refunded_amount,
        coalesce(
            sum(refund_amount_reporting) filter (where request_outcome = 'refunded'), 0
        ) as refunded_amount_reporting

    from request_periods
    group by period_grain, period_start, ticket_contact_reason, currency, reporting_currency

),

final as (

    select
        period_grain,
        period_start,
        ticket_contact_reason,
        currency,
        reporting_currency,
        refund_requests,
        completed_refunds,
        open_requests,
        cast(refunded_amount as decimal(18, 2)) as refunded_amount,
        cast(refunded_amount_reporting as decimal(18, 2)) as refunded_amount_reporting

    from aggregated

)

select * from final
