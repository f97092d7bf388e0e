with

sla_outcomes as (

    select * from {{ ref('int_ticket_sla_outcomes') }}

),

grains as (

    select * from {{ reporting_grains() }}

),

outcome_periods as (

    -- A ticket's SLA counts in the period the ticket was created, at each grain.
    select
        grains.period_grain,
        {{ reporting_period_start('grains.period_grain', 'sla_outcomes.created_at') }} as period_start,
        sla_outcomes.channel,
        coalesce(sla_outcomes.priority, 'unspecified') as priority,
        sla_outcomes.sla_metric,
        sla_outcomes.sla_outcome,
        sla_outcomes.target_minutes,
        sla_outcomes.time_basis

    from sla_outcomes
    cross join grains

),

aggregated as (

    select
        period_grain,
        period_start,
        channel,
        priority,
        sla_metric,
        count(*) filter (where sla_outcome = 'met') as met_tickets,
        count(*) filter (where sla_outcome = 'breached') as breached_tickets,
        count(*) filter (where sla_outcome = 'pending') as pending_tickets,
        count(*) filter (where sla_outcome = 'no_policy') as no_policy_tickets,
        count(*) filter (where sla_outcome = 'not_applicable') as not_applicable_tickets,
        -- One policy per channel, priority and metric, so these are constant within a row.
        max(target_minutes) as target_minutes,
        max(time_basis) as time_basis

    from outcome_periods
    group by period_grain, period_start, channel, priority, sla_metric

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
        met_tickets + breached_tickets as decided_tickets,
        cast(met_tickets / nullif(met_tickets + breached_tickets, 0) as double) as compliance_rate,
        target_minutes,
        time_basis

    from aggregated

)

select * from final
