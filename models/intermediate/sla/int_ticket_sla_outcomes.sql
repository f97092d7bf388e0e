{{ config(
    materialized='incremental',
    incremental_strategy='rebuild_keys',
    unique_key='ticket_id',
    rebuild_set='int_ticket_rebuild_set',
    on_schema_change='fail',
    post_hook=[
        "{{ refresh_as_of_at_column(data_as_of_at('helpdesk')) }}",
        "{{ record_rebuild_watermark('select max(as_of_at) from ' ~ this) }}",
    ],
) }}
{#- Rows that still move with the as-of time: a pending target, or a clock still running
    (event not happened, customer still waiting: elapsed_minutes grows). Rows settled at the
    last build (breached and no longer waiting, no SLA, event happened) stay as they are,
    unless the as-of time moved back (an as_of_at var set earlier than the last build's). -#}
{%- set as_of_sensitive -%}
    select sla.ticket_id from {{ this }} as sla
    where
        sla.sla_outcome = 'pending'
        or (sla.event_at is null and sla.elapsed_minutes is not null)
        or sla.event_at > ({{ data_as_of_at('helpdesk') }})
        or (sla.event_at is null and {{ as_of_moved_back('sla.as_of_at', data_as_of_at('helpdesk')) }})
{%- endset %}

-- depends_on: {{ ref('int_ticket_rebuild_set') }}
with

-- tickets rebuilt besides the rebuild set (none on a full build; read by rebuild_filter)
refresh_ids as materialized (  -- noqa: ST03

    {{ rebuild_extra_keys(as_of_sensitive) }}

),


threads as (

    select * from {{ ref('int_ticket_threads') }}
    {{ rebuild_filter(also_cte='refresh_ids') }}

),

durations as (

    select * from {{ ref('int_ticket_business_durations') }}
    {{ rebuild_filter(also_cte='refresh_ids') }}

),

sla_policies as (

    select * from {{ ref('sla_policies') }}

),

as_of as (

    {{ data_as_of_at('helpdesk') }}

),

sla_metrics as (

    select unnest(['first_response', 'resolution']) as sla_metric

),

ticket_metrics as (

    select
        threads.ticket_id,
        threads.channel,
        threads.priority,
        threads.is_customer_ticket,
        threads.created_at,
        durations.schedule_id,
        sla_metrics.sla_metric,
        as_of.as_of_at,
        -- a ticket closed at an unknown time is closed: nobody is waiting on it any more
        coalesce(threads.last_solved_at <= as_of.as_of_at, threads.is_closed_time_unknown, false)
            as is_solved_at_as_of,
        coalesce(threads.is_closed_time_unknown, false) as is_closed_time_unknown,
        -- Resolution is measured to the final solve: a reopened ticket is not resolved until
        -- it is closed again (last_solved_at is null while it is open).
        case sla_metrics.sla_metric
            when 'first_response' then threads.first_human_reply_at
            else threads.last_solved_at
        end as event_at,
        case sla_metrics.sla_metric
            when 'first_response' then durations.first_response_calendar_minutes
            else durations.full_resolution_calendar_minutes
        end as event_calendar_minutes,
        case sla_metrics.sla_metric
            when 'first_response' then durations.first_response_business_minutes
            else durations.full_resolution_business_minutes
        end as event_business_minutes

    from threads
    cross join sla_metrics
    cross join as_of
    left join durations
        on threads.ticket_id = durations.ticket_id

),

matched_policies as (

    -- The most specific policy wins: a row for the ticket's priority beats the channel's
    -- any-priority row (empty priority in the seed).
    select
        ticket_metrics.ticket_id,
        ticket_metrics.sla_metric,
        sla_policies.priority as policy_priority,
        sla_policies.target_minutes,
        sla_policies.time_basis

    from ticket_metrics
    inner join sla_policies
        on
            ticket_metrics.channel = sla_policies.channel
            and ticket_metrics.sla_metric = sla_policies.sla_metric
            and (sla_policies.priority is null or ticket_metrics.priority = sla_policies.priority)

    qualify row_number() over (
        partition by ticket_metrics.ticket_id, ticket_metrics.sla_metric
        order by sla_policies.priority is null
    ) = 1

),

elapsed_at_as_of as (

    -- How long the ticket has been waiting at the as-of time, in both bases, for events that
    -- have not happened yet. Business minutes follow the ticket's schedule over time
    -- (macros/business_time/ticket_business_time.sql).
    select
        ticket_id,
        sla_metric,
        {{ calendar_minutes('created_at', 'as_of_at') }} as calendar_minutes,
        waiting_business_minutes as business_minutes

    from (
        {{ ticket_business_time('ticket_metrics', [['created_at', 'as_of_at', 'waiting']]) }}
    ) as waiting

),

measured as (

    select
        ticket_metrics.ticket_id,
        ticket_metrics.sla_metric,
        ticket_metrics.channel,
        ticket_metrics.priority,
        ticket_metrics.is_customer_ticket,
        ticket_metrics.created_at,
        ticket_metrics.as_of_at,
        ticket_metrics.is_solved_at_as_of,
        ticket_metrics.is_closed_time_unknown,
        matched_policies.policy_priority,
        matched_policies.target_minutes,
        matched_policies.time_basis,
        -- An event after the as-of time (var as_of_at set in the past) has not happened yet.
        ticket_metrics.event_at is not null
        and ticket_metrics.event_at <= ticket_metrics.as_of_at as has_event_happened,
        case
            when ticket_metrics.event_at <= ticket_metrics.as_of_at then ticket_metrics.event_at
        end as event_at,
        case matched_policies.time_basis
            when 'business' then ticket_metrics.event_business_minutes
            when 'calendar' then ticket_metrics.event_calendar_minutes
        end as event_elapsed_minutes,
        case matched_policies.time_basis
            when 'business' then elapsed_at_as_of.business_minutes
            when 'calendar' then elapsed_at_as_of.calendar_minutes
        end as as_of_elapsed_minutes

    from ticket_metrics
    left join matched_policies
        on
            ticket_metrics.ticket_id = matched_policies.ticket_id
            and ticket_metrics.sla_metric = matched_policies.sla_metric
    left join elapsed_at_as_of
        on
            ticket_metrics.ticket_id = elapsed_at_as_of.ticket_id
            and ticket_metrics.sla_metric = elapsed_at_as_of.sla_metric

),

final as (

    select
        ticket_id,
        sla_metric,
        channel,
        priority,
        is_customer_ticket,
        created_at,
        as_of_at,
        policy_priority,
        target_minutes,
        time_basis,
        event_at,
        -- Not happened yet: the clock runs only while an SLA applies and the customer is still
        -- waiting. A spam/outbound/merged ticket, or one solved without a reply, has no
        -- waiting time that grows (its outcome below is still decided at the as-of time).
        case
            when has_event_happened then event_elapsed_minutes
            when is_customer_ticket and not is_solved_at_as_of then as_of_elapsed_minutes
        end as elapsed_minutes,
        case
            -- Spam, outbound and merged-away tickets are outside every SLA denominator.
            when not is_customer_ticket then 'not_applicable'
            when target_minutes is null then 'no_policy'
            -- closed, but when is unknown: neither met nor breached, left out of the rate
            when sla_metric = 'resolution' and is_closed_time_unknown then 'unknown'
            when has_event_happened and event_elapsed_minutes <= target_minutes then 'met'
            when has_event_happened then 'breached'
            when as_of_elapsed_minutes > target_minutes then 'breached'
            else 'pending'
        end as sla_outcome

    from measured

)

select * from final
