with

tickets as (

    select * from {{ ref('tickets') }}

),

durations as (

    select * from {{ ref('int_ticket_business_durations') }}

),

grains as (

    select * from {{ reporting_grains() }}

),

ticket_periods as (

    -- Every ticket counts in the period it was created, at each grain.
    select
        grains.period_grain,
        {{ reporting_period_start('grains.period_grain', 'tickets.created_at') }} as period_start,
        tickets.channel,
        tickets.is_customer_ticket,
        tickets.exclusion_reason,
        tickets.first_human_reply_at,
        tickets.first_response_calendar_minutes,
        tickets.first_response_business_minutes,
        durations.first_response_calendar_microseconds,
        durations.first_response_business_microseconds,
        tickets.first_response_sla_outcome,
        tickets.resolution_sla_outcome,
        -- Decided for the FRT-within-target share: answered, or unanswered for longer than the
        -- target at the as-of time. Unanswered tickets younger than the target are left out.
        tickets.first_human_reply_at is not null
        or tickets.created_at + to_hours({{ var('frt_target_hours') }}) <= tickets.as_of_at as is_frt_target_decided,
        tickets.first_response_calendar_minutes <= {{ var('frt_target_hours') }} * 60 as is_frt_within_target

    from tickets
    cross join grains
    left join durations
        on tickets.ticket_id = durations.ticket_id

),

aggregated as (

    select
        period_grain,
        period_start,
        channel,

        -- volume, with every excluded ticket in its own column
        {{ ticket_count_columns() }}

        -- first response time, customer tickets only
        count(*) filter (where is_customer_ticket and first_human_reply_at is not null) as answered_tickets,
        count(*) filter (where is_customer_ticket and first_human_reply_at is null) as unanswered_tickets,
        quantile_cont(first_response_calendar_minutes, 0.5) filter (where is_customer_ticket)
            as frt_median_calendar_minutes,
        quantile_cont(first_response_calendar_minutes, 0.9) filter (where is_customer_ticket)
            as frt_p90_calendar_minutes,
        -- Means from exact integer sums: a double avg() depends on the order threads add in.
        sum(first_response_calendar_microseconds) filter (where is_customer_ticket)
            as frt_calendar_microseconds_sum,
        count(first_response_calendar_microseconds) filter (where is_customer_ticket)
            as frt_calendar_measured_tickets,
        quantile_cont(first_response_business_minutes, 0.5) filter (where is_customer_ticket)
            as frt_median_business_minutes,
        quantile_cont(first_response_business_minutes, 0.9) filter (where is_customer_ticket)
            as frt_p90_business_minutes,
        sum(first_response_business_microseconds) filter (where is_customer_ticket)
            as frt_business_microseconds_sum,
        count(first_response_business_microseconds) filter (where is_customer_ticket)
            as frt_business_measured_tickets,
        count(*) filter (where is_customer_ticket and is_frt_target_decided) as frt_target_decided_tickets,
        count(*) filter (where is_customer_ticket and is_frt_within_target) as frt_within_target_tickets,

        -- SLA outcomes, customer tickets only (others are not_applicable)
        count(*) filter (where first_response_sla_outcome = 'met') as first_response_sla_met_tickets,
        count(*) filter (where first_response_sla_outcome = 'breached') as first_response_sla_breached_tickets,
        count(*) filter (where first_response_sla_outcome = 'pending') as first_response_sla_pending_tickets,
        count(*) filter (where first_response_sla_outcome = 'no_policy') as first_response_sla_no_policy_tickets,
        count(*) filter (where resolution_sla_outcome = 'met') as resolution_sla_met_tickets,
        count(*) filter (where resolution_sla_outcome = 'breached') as resolution_sla_breached_tickets,
        count(*) filter (where resolution_sla_outcome = 'pending') as resolution_sla_pending_tickets,
        count(*) filter (where resolution_sla_outcome = 'no_policy') as resolution_sla_no_policy_tickets

    from ticket_periods
    group by period_grain, period_start, channel

),

final as (

    select
        period_grain,
        period_start,
        channel,
        total_tickets,
        customer_tickets,
        excluded_spam_tickets,
        excluded_merged_tickets,
        excluded_outbound_tickets,
        excluded_other_tickets,
        answered_tickets,
        unanswered_tickets,
        frt_median_calendar_minutes,
        frt_p90_calendar_minutes,
        cast(frt_calendar_microseconds_sum as double)
        / (nullif(frt_calendar_measured_tickets, 0) * 60000000.0) as frt_mean_calendar_minutes,
        frt_median_business_minutes,
        frt_p90_business_minutes,
        cast(frt_business_microseconds_sum as double)
        / (nullif(frt_business_measured_tickets, 0) * 60000000.0) as frt_mean_business_minutes,
        frt_within_target_tickets,
        frt_target_decided_tickets,
        frt_within_target_tickets / nullif(frt_target_decided_tickets, 0) as frt_within_target_rate,
        first_response_sla_met_tickets,
        first_response_sla_breached_tickets,
        first_response_sla_pending_tickets,
        first_response_sla_no_policy_tickets,
        first_response_sla_met_tickets / nullif(
            first_response_sla_met_tickets + first_response_sla_breached_tickets, 0
        ) as first_response_sla_compliance_rate,
        resolution_sla_met_tickets,
        resolution_sla_breached_tickets,
        resolution_sla_pending_tickets,
        resolution_sla_no_policy_tickets,
        resolution_sla_met_tickets / nullif(
            resolution_sla_met_tickets + resolution_sla_breached_tickets, 0
        ) as resolution_sla_compliance_rate

    from aggregated

)

select * from final
