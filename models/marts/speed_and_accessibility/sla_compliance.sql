with

sla_outcomes as (

    select * from {{ ref('int_ticket_sla_outcomes') }}

),

grains as (

    select * from {{ reporting_grains() }}

),

-- A ticket's SLA counts in the period the ticket was created, at each grain. Counted per
-- reporting date first, then summed into each grain's periods: the counts add up, and the
-- fan-out to grains then multiplies a few thousand rows instead of every ticket's outcomes.
daily_counts as (

    select
        {{ reporting_date('created_at') }} as created_date,
        channel,
        coalesce(priority, 'unspecified') as priority,
        sla_metric,
        count(*) filter (where sla_outcome = 'met') as met_tickets,
        count(*) filter (where sla_outcome = 'breached') as breached_tickets,
        count(*) filter (where sla_outcome = 'pending') as pending_tickets,
        count(*) filter (where sla_outcome = 'no_policy') as no_policy_tickets,
        count(*) filter (where sla_outcome = 'not_applicable') as not_applicable_tickets,
        count(*) filter (where sla_outcome = 'unknown') as unknown_tickets,
        -- clocks behind the ticket counts (next reply: one per customer wait; else one per ticket)
        sum(clock_count) filter (where sla_outcome in ('met', 'breached', 'pending')) as clocks,
        sum(breached_clock_count) filter (where sla_outcome in ('met', 'breached', 'pending')) as breached_clocks,
        -- One policy per channel, priority and metric, so these are constant within a row.
        max(target_minutes) as target_minutes,
        max(time_basis) as time_basis

    from sla_outcomes
    group by all

),

aggregated as (

    select
        grains.period_grain,
        {{ reporting_period_start_of_date('grains.period_grain', 'daily_counts.created_date') }} as period_start,
        daily_counts.channel,
        daily_counts.priority,
        daily_counts.sla_metric,
        cast(sum(daily_counts.met_tickets) as bigint) as met_tickets,
        cast(sum(daily_counts.breached_tickets) as bigint) as breached_tickets,
        cast(sum(daily_counts.pending_tickets) as bigint) as pending_tickets,
        cast(sum(daily_counts.no_policy_tickets) as bigint) as no_policy_tickets,
        cast(sum(daily_counts.not_applicable_tickets) as bigint) as not_applicable_tickets,
        cast(sum(daily_counts.unknown_tickets) as bigint) as unknown_tickets,
        cast(coalesce(sum(daily_counts.clocks), 0) as bigint) as clocks,
        cast(coalesce(sum(daily_counts.breached_clocks), 0) as bigint) as breached_clocks,
        max(daily_counts.target_minutes) as target_minutes,
        max(daily_counts.time_basis) as time_basis

    from daily_counts
    cross join grains
    group by all

),

final as (

    select
        period_grain,
        period_start,
        channel,
        priority,
        sla_metric,
        met_tickets,
        breached_tickets,
        pending_tickets,
        no_policy_tickets,
        not_applicable_tickets,
        unknown_tickets,
        met_tickets + breached_tickets as decided_tickets,
        cast(met_tickets / nullif(met_tickets + breached_tickets, 0) as double) as compliance_rate,
        target_minutes,
        time_basis,
        clocks,
        breached_clocks

    from aggregated

)

select * from final
