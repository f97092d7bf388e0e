{#- Ticket volume by period, channel and contact reason (KPI_SPEC item 7): inbound customer
    tickets and their share of the period's inbound, with spam, outbound and merged-away
    tickets counted in their own columns so every ticket appears exactly once per grain. -#}

with

tickets as (

    select * from {{ ref('tickets') }}

),

grains as (

    select * from {{ reporting_grains() }}

),

-- Each ticket in exactly one bucket, the tickets mart's exclusion_reason: spam wins over
-- merged, merged over outbound (a spam ticket is noise however it arrived, and a merged
-- duplicate's conversation lives on in its survivor whichever direction it had).
classified as (

    select
        ticket_id,
        channel,
        created_date,
        coalesce(contact_reason, 'other') as contact_reason,
        coalesce(reason_source, 'none') as reason_source,
        is_customer_ticket,
        exclusion_reason = 'spam' as is_spam_bucket,
        exclusion_reason = 'merged' as is_merged_bucket,
        exclusion_reason = 'outbound' as is_outbound_bucket
    from tickets
    -- a ticket deleted in the helpdesk no longer exists (counted in data_quality_summary)
    where exclusion_reason is distinct from 'deleted'

),

-- Counted per reporting date first, then summed into each grain's periods: the counts add
-- up, and the fan-out to grains then multiplies a few thousand rows instead of every ticket.
daily_counts as (

    select
        created_date,
        channel,
        contact_reason,
        reason_source,
        count(*) as total_tickets,
        count(*) filter (where is_customer_ticket) as inbound_customer_tickets,
        count(*) filter (where is_spam_bucket) as excluded_spam_tickets,
        count(*) filter (where is_outbound_bucket) as excluded_outbound_tickets,
        count(*) filter (where is_merged_bucket) as excluded_merged_tickets
    from classified
    group by all

),

counted as (

    select
        grains.period_grain,
        {{ reporting_period_start_of_date('grains.period_grain', 'daily_counts.created_date') }} as period_start,
        daily_counts.channel,
        daily_counts.contact_reason,
        daily_counts.reason_source,
        sum(daily_counts.total_tickets) as total_tickets,
        sum(daily_counts.inbound_customer_tickets) as inbound_customer_tickets,
        sum(daily_counts.excluded_spam_tickets) as excluded_spam_tickets,
        sum(daily_counts.excluded_outbound_tickets) as excluded_outbound_tickets,
        sum(daily_counts.excluded_merged_tickets) as excluded_merged_tickets
    from daily_counts
    cross join grains
    group by all

),

final as (

    select
        cast(period_grain as {{ text_type() }}) as period_grain,
        period_start,
        channel,
        contact_reason,
        reason_source,
        cast(inbound_customer_tickets as bigint) as inbound_customer_tickets,
        cast(sum(inbound_customer_tickets) over period_window as bigint) as period_inbound_customer_tickets,
        cast(inbound_customer_tickets as double)
        / nullif(sum(inbound_customer_tickets) over period_window, 0) as inbound_share,
        cast(excluded_spam_tickets as bigint) as excluded_spam_tickets,
        cast(excluded_outbound_tickets as bigint) as excluded_outbound_tickets,
        cast(excluded_merged_tickets as bigint) as excluded_merged_tickets,
        cast(total_tickets as bigint) as total_tickets
    from counted
    window period_window as (partition by period_grain, period_start)

)

select * from final
