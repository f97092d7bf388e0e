-- Zendesk's own first reply, first resolution and full resolution times beside ours, per
-- ticket, metric and time basis, with the reason when they differ
-- (int_zendesk_metric_comparison). Empty unless var helpdesk = zendesk and the brand exports
-- ticket_metrics.
with

comparison as (

    select * from {{ ref('int_zendesk_metric_comparison') }}

),

threads as (

    select * from {{ ref('int_ticket_threads') }}

),

final as (

    select
        -- ids
        comparison.ticket_id,

        -- attributes
        comparison.metric,
        comparison.time_basis,
        threads.channel,
        threads.is_customer_ticket,
        -- why the ticket is outside every KPI denominator (null for customer tickets)
        comparison.exclusion_reason,
        comparison.is_match,
        comparison.difference_reason,

        -- figures, minutes
        comparison.zendesk_minutes,
        comparison.our_minutes,
        comparison.difference_minutes,

        -- dates and timestamps
        {{ reporting_date('comparison.created_at') }} as created_date,
        comparison.zendesk_updated_at,
        comparison.as_of_at

    from comparison
    inner join threads
        on comparison.ticket_id = threads.ticket_id

)

select * from final
