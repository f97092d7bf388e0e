{#- Ticket volume by period, channel and contact reason (KPI_SPEC item 7): inbound customer
    tickets and their share of the period's inbound, with spam, outbound and merged-away
    tickets counted in their own columns so every ticket appears exactly once per grain. -#}

with

threads as (

    select * from {{ ref('int_ticket_threads') }}

),

contact_reasons as (

    select * from {{ ref('int_ticket_contact_reasons') }}

),

grains as (

    select * from {{ reporting_grains() }}

),

-- Each ticket in exactly one bucket. Spam wins over merged, merged over outbound: a spam
-- ticket is noise however it arrived, and a merged duplicate's conversation lives on in
-- its survivor whichever direction it had.
classified as (

    select
        threads.ticket_id,
        threads.channel,
        -- reporting date once per row, before the fan-out to grains (reporting_time.sql)
        {{ reporting_date('threads.created_at') }} as created_date,
        coalesce(contact_reasons.contact_reason, 'other') as contact_reason,
        coalesce(contact_reasons.reason_source, 'none') as reason_source,
        threads.is_customer_ticket,
        not threads.is_customer_ticket and threads.is_spam as is_spam_bucket,
        not threads.is_customer_ticket and not threads.is_spam and threads.is_merged as is_merged_bucket,
        not threads.is_customer_ticket
        and not threads.is_spam
        and not threads.is_merged
        and threads.direction = 'outbound' as is_outbound_bucket
    from threads
    left join contact_reasons
        on threads.ticket_id = contact_reasons.ticket_id

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
        cast(period_grain as varchar) as period_grain,
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
