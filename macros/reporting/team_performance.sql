{#- The measures of the team-lead marts (agent_performance, group_performance), one place for
    both. Their input is one row per handled ticket (a solved customer ticket, under the agent
    or group it had at its last solve) with the columns named below, fanned out to grains;
    docs/decisions/team_performance.md. Every rate has its numerator and denominator beside it
    so a BI tool can add rows up and re-divide. -#}

{#- Per ticket, before the fan-out: the FRT-within-target flags as speed_and_accessibility
    counts them. Decided: answered, or unanswered for longer than the target at the as-of time. -#}
{% macro frt_target_decided(first_human_reply_at, created_at, as_of_at) -%}
    ({{ first_human_reply_at }} is not null
    or {{ created_at }} + {{ interval_hours(var('frt_target_hours')) }} <= {{ as_of_at }})
{%- endmacro %}

{% macro frt_within_target(first_response_calendar_minutes) -%}
    ({{ first_response_calendar_minutes }} <= {{ var('frt_target_hours') }} * 60)
{%- endmacro %}

{#- The aggregates, for a `group by` over handled-ticket rows. -#}
{% macro team_performance_aggregates() -%}
    count(*) as tickets_handled,
    -- first response time of the handled tickets (integer microsecond sums: exact, order-free)
    count(first_response_calendar_microseconds) as frt_calendar_measured_tickets,
    coalesce(sum(first_response_calendar_microseconds), 0) as frt_calendar_microseconds_sum,
    {{ quantile_cont_exact('first_response_calendar_minutes', 0.5) }} as frt_median_calendar_minutes,
    count(first_response_business_microseconds) as frt_business_measured_tickets,
    coalesce(sum(first_response_business_microseconds), 0) as frt_business_microseconds_sum,
    {{ quantile_cont_exact('first_response_business_minutes', 0.5) }} as frt_median_business_minutes,
    count(*) filter (where is_frt_target_decided) as frt_target_decided_tickets,
    count(*) filter (where is_frt_within_target) as frt_within_target_tickets,
    -- first contact resolution: the handled tickets are FCR's denominator (solved tickets)
    count(*) filter (where is_fcr) as fcr_tickets,
    count(*) filter (where is_fcr and is_repeat_window_open) as fcr_provisional_tickets,
    -- CSAT: the ticket's latest eligible score (int_csat_surveys), one per rated ticket
    count(csat_score) as csat_responses,
    count(*) filter (where csat_score >= 4) as csat_satisfied_responses,
    coalesce(sum(csat_score), 0) as csat_score_sum,
    -- handle time (int_ticket_handle_times): exact seconds, tracked or the seed default
    count(handle_seconds) as handle_measured_tickets,
    count(*) filter (where handle_time_source = 'tracked') as handle_tracked_tickets,
    coalesce(sum(handle_seconds), 0) as handle_seconds_sum
{%- endmacro %}

{#- The output columns of the measures, rates re-divided from the sums above. -#}
{% macro team_performance_columns() -%}
    tickets_handled,
    frt_calendar_measured_tickets,
    cast(frt_calendar_microseconds_sum as bigint) as frt_calendar_microseconds_sum,
    frt_median_calendar_minutes,
    cast(frt_calendar_microseconds_sum as double)
    / (nullif(frt_calendar_measured_tickets, 0) * 60000000.0) as frt_mean_calendar_minutes,
    frt_business_measured_tickets,
    cast(frt_business_microseconds_sum as bigint) as frt_business_microseconds_sum,
    frt_median_business_minutes,
    cast(frt_business_microseconds_sum as double)
    / (nullif(frt_business_measured_tickets, 0) * 60000000.0) as frt_mean_business_minutes,
    frt_within_target_tickets,
    frt_target_decided_tickets,
    cast(frt_within_target_tickets / nullif(frt_target_decided_tickets, 0) as double) as frt_within_target_rate,
    fcr_tickets,
    fcr_provisional_tickets,
    cast(fcr_tickets / nullif(tickets_handled, 0) as double) as fcr_rate,
    csat_responses,
    csat_satisfied_responses,
    cast(csat_score_sum as bigint) as csat_score_sum,
    cast(csat_score_sum / nullif(csat_responses, 0) as double) as csat_mean_score,
    cast(csat_satisfied_responses / nullif(csat_responses, 0) as double) as csat_satisfied_rate,
    handle_measured_tickets,
    handle_tracked_tickets,
    cast(handle_seconds_sum as decimal(18, 3)) as handle_seconds_sum,
    cast({{ divide_as_double('handle_seconds_sum', 'nullif(handle_measured_tickets, 0)') }} / 60 as double)
        as handle_mean_minutes
{%- endmacro %}

{#- One row per handled ticket (a solved customer ticket) with what the measures need, from
    the import CTEs `tickets` (the tickets mart), `handle_times` (int_ticket_handle_times) and
    `csat_surveys` (int_csat_surveys) of the calling model. `key_column` is the tickets-mart
    column the mart is by (agent_id_at_solve, group_id_at_solve), output as `team_key`; a null
    key stays a row of its own (no agent, no group). -#}
{% macro team_performance_handled_tickets(key_column) -%}
    select
        tickets.{{ key_column }} as team_key,
        -- the solve's reporting date, once per ticket before the fan-out (reporting_time.sql)
        {{ reporting_date('tickets.last_solved_at') }} as solved_date,
        tickets.first_response_calendar_minutes,
        tickets.first_response_business_minutes,
        {{ epoch_microseconds('tickets.first_human_reply_at') }} - {{ epoch_microseconds('tickets.created_at') }} as first_response_calendar_microseconds,
        cast(round(tickets.first_response_business_minutes * 60000000) as bigint) as first_response_business_microseconds,
        {{ frt_target_decided('tickets.first_human_reply_at', 'tickets.created_at', 'tickets.as_of_at') }}
            as is_frt_target_decided,
        coalesce({{ frt_within_target('tickets.first_response_calendar_minutes') }}, false) as is_frt_within_target,
        tickets.is_fcr,
        tickets.is_repeat_window_open,
        csat_surveys.score as csat_score,
        handle_times.handle_seconds,
        handle_times.handle_time_source
    from tickets
    left join handle_times
        on tickets.ticket_id = handle_times.ticket_id
    left join csat_surveys
        on
            tickets.ticket_id = csat_surveys.ticket_id
            and csat_surveys.is_ticket_latest_response
    where tickets.is_customer_ticket and tickets.is_solved
{%- endmacro %}
