{#- daily_counts' columns, summed into each grain's periods by period_counts -#}
{%- set summed_columns = [
    'total_tickets', 'customer_tickets', 'excluded_spam_tickets', 'excluded_merged_tickets',
    'excluded_outbound_tickets', 'excluded_other_tickets', 'answered_tickets', 'unanswered_tickets',
    'frt_calendar_microseconds_sum', 'frt_calendar_measured_tickets',
    'frt_business_microseconds_sum', 'frt_business_measured_tickets',
    'frt_target_decided_tickets', 'frt_within_target_tickets',
    'first_response_sla_met_tickets', 'first_response_sla_breached_tickets',
    'first_response_sla_pending_tickets', 'first_response_sla_no_policy_tickets',
    'resolution_sla_met_tickets', 'resolution_sla_breached_tickets',
    'resolution_sla_pending_tickets', 'resolution_sla_no_policy_tickets',
] %}

with

tickets as (

    select * from {{ ref('tickets') }}

),

grains as (

    select * from {{ reporting_grains() }}

),

-- One row per ticket with what the measures need.
ticket_measures as (

    select
        created_date,
        channel,
        is_customer_ticket,
        exclusion_reason,
        first_human_reply_at,
        first_response_calendar_minutes,
        first_response_business_minutes,
        -- Means are taken from integer microsecond sums: a double sum depends on the order a
        -- parallel aggregate adds in. The minutes are microseconds / 60e6 held to ~16
        -- significant digits, so rounding them back is exact for any span under centuries
        -- (tests/assert_frt_microseconds_round_trip.sql checks it).
        {{ epoch_microseconds('first_human_reply_at') }}
        - {{ epoch_microseconds('created_at') }} as first_response_calendar_microseconds,
        cast(round(first_response_business_minutes * 60000000) as bigint) as first_response_business_microseconds,
        first_response_sla_outcome,
        resolution_sla_outcome,
        -- Decided for the FRT-within-target share: answered, or unanswered for longer than the
        -- target at the as-of time. Unanswered tickets younger than the target are left out.
        -- (macros/reporting/team_performance.sql: the team marts count them the same way)
        {{ frt_target_decided('first_human_reply_at', 'created_at', 'as_of_at') }} as is_frt_target_decided,
        {{ frt_within_target('first_response_calendar_minutes') }} as is_frt_within_target
    from tickets

),

-- Every ticket counts in the period it was created, at each grain. Counts and sums add up,
-- so they are taken per reporting date and summed into each grain's periods (the fan-out
-- then multiplies a few thousand rows); medians and p90s do not, so they fan out the
-- answered customer tickets themselves (period_quantiles).
daily_counts as (

    select
        created_date,
        channel,

        -- volume, with every excluded ticket in its own column
        {{ ticket_count_columns() }}

        -- first response time, customer tickets only
        count(*) filter (where is_customer_ticket and first_human_reply_at is not null) as answered_tickets,
        count(*) filter (where is_customer_ticket and first_human_reply_at is null) as unanswered_tickets,
        -- Means from exact integer sums: a double avg() depends on the order threads add in.
        sum(first_response_calendar_microseconds) filter (where is_customer_ticket)
            as frt_calendar_microseconds_sum,
        count(first_response_calendar_microseconds) filter (where is_customer_ticket)
            as frt_calendar_measured_tickets,
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

    from ticket_measures
    group by created_date, channel

),

period_counts as (

    select
        grains.period_grain,
        {{ reporting_period_start_of_date('grains.period_grain', 'daily_counts.created_date') }} as period_start,
        {%- for column in summed_columns %}
            cast(sum(daily_counts.{{ column }}) as bigint) as {{ column }},
        {%- endfor %}
        daily_counts.channel

    from daily_counts
    cross join grains
    group by all

),

period_quantiles as (

    select
        grains.period_grain,
        {{ reporting_period_start_of_date('grains.period_grain', 'ticket_measures.created_date') }} as period_start,
        ticket_measures.channel,
        -- median and p90 from one sort: a list of quantiles costs one aggregate, not two
        {{ quantile_cont_exact('ticket_measures.first_response_calendar_minutes', [0.5, 0.9]) }}
            as frt_calendar_minutes_quantiles,
        {{ quantile_cont_exact('ticket_measures.first_response_business_minutes', [0.5, 0.9]) }}
            as frt_business_minutes_quantiles
    from ticket_measures
    cross join grains
    where
        ticket_measures.is_customer_ticket
        and (
            ticket_measures.first_response_calendar_minutes is not null
            or ticket_measures.first_response_business_minutes is not null
        )
    group by all

),

aggregated as (

    select
        period_counts.*,
        period_quantiles.frt_calendar_minutes_quantiles,
        period_quantiles.frt_business_minutes_quantiles
    from period_counts
    left join period_quantiles
        on
            period_counts.period_grain = period_quantiles.period_grain
            and period_counts.period_start = period_quantiles.period_start
            and period_counts.channel is not distinct from period_quantiles.channel

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
        {{ list_item('frt_calendar_minutes_quantiles', 1) }} as frt_median_calendar_minutes,
        {{ list_item('frt_calendar_minutes_quantiles', 2) }} as frt_p90_calendar_minutes,
        cast(frt_calendar_microseconds_sum as double)
        / (nullif(frt_calendar_measured_tickets, 0) * 60000000.0) as frt_mean_calendar_minutes,
        {{ list_item('frt_business_minutes_quantiles', 1) }} as frt_median_business_minutes,
        {{ list_item('frt_business_minutes_quantiles', 2) }} as frt_p90_business_minutes,
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
