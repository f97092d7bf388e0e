{{ config(
    materialized='incremental',
    incremental_strategy=engine_incremental_strategy('rebuild_keys'),
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
        or sla.has_running_clock
        or sla.event_at > ({{ data_as_of_at('helpdesk') }})
        or (sla.event_at is null and {{ as_of_moved_back('sla.as_of_at', data_as_of_at('helpdesk')) }})
{%- endset %}

-- depends_on: {{ ref('int_ticket_rebuild_set') }}
with

-- tickets rebuilt besides the rebuild set (none on a full build; read by rebuild_filter)
refresh_ids {{ cte_as_materialized() }} (  -- noqa: ST03

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

next_reply_clocks as (

    select * from {{ ref('int_ticket_next_reply_clocks') }}
    {{ rebuild_filter(also_cte='refresh_ids') }}

),

status_periods as (

    select * from {{ ref('int_ticket_status_periods') }}
    {{ rebuild_filter(also_cte='refresh_ids') }}

),

events as (

    select * from {{ ref(helpdesk_model('ticket_events')) }}
    {{ rebuild_filter(also_cte='refresh_ids') }}

),

sla_policies as (

    select * from {{ ref('sla_policies') }}

),

as_of as (

    {{ data_as_of_at('helpdesk') }}

),

sla_metrics as (

    select {{ exploded_values(["'first_response'", "'resolution'"]) }} as sla_metric

),

clocks as (

    -- One row per SLA clock. First response and resolution: one clock per ticket, from its
    -- creation (figures from int_ticket_business_durations). Next reply: one per customer
    -- wait after a human reply (int_ticket_next_reply_clocks).
    select
        threads.ticket_id,
        sla_metrics.sla_metric,
        1 as clock_sequence,
        threads.created_at as started_at,
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
    left join durations
        on threads.ticket_id = durations.ticket_id

    union all

    -- a clock started after the as-of time has not started yet
    select
        next_reply_clocks.ticket_id,
        'next_reply' as sla_metric,
        next_reply_clocks.clock_sequence,
        next_reply_clocks.started_at,
        next_reply_clocks.stopped_at as event_at,
        next_reply_clocks.calendar_minutes as event_calendar_minutes,
        next_reply_clocks.business_minutes as event_business_minutes

    from next_reply_clocks
    cross join as_of
    where next_reply_clocks.started_at <= as_of.as_of_at

),

priority_steps as (

    select
        ticket_id,
        occurred_at,
        ticket_event_id,
        value_after as priority

    from events
    where changed_field = 'priority'

),

clock_priorities as (

    -- The priority the ticket had when the clock ran: at its stop, or at the as-of time while
    -- it runs (the helpdesk re-applies the policy on a priority change while a clock runs).
    -- A ticket whose events never change the priority keeps the export's (Gorgias: always).
    select
        clocks.ticket_id,
        clocks.sla_metric,
        clocks.clock_sequence,
        priority_steps.priority

    from clocks
    cross join as_of
    inner join priority_steps
        on
            clocks.ticket_id = priority_steps.ticket_id
            and priority_steps.occurred_at <= coalesce(
                case when clocks.event_at <= as_of.as_of_at then clocks.event_at end, as_of.as_of_at
            )

    qualify row_number() over (
        partition by clocks.ticket_id, clocks.sla_metric, clocks.clock_sequence
        order by priority_steps.occurred_at desc, priority_steps.ticket_event_id desc
    ) = 1

),

ticket_metrics as (

    select
        threads.ticket_id,
        threads.channel,
        case
            when clock_priorities.ticket_id is not null then clock_priorities.priority
            when threads.ticket_id in (select priority_steps.ticket_id from priority_steps) then null
            else threads.priority
        end as priority,
        threads.is_customer_ticket,
        threads.created_at,
        durations.schedule_id,
        clocks.sla_metric,
        clocks.clock_sequence,
        clocks.started_at,
        as_of.as_of_at,
        -- a ticket closed at an unknown time is closed: nobody is waiting on it any more
        coalesce(threads.last_solved_at <= as_of.as_of_at, threads.is_closed_time_unknown, false)
            as is_solved_at_as_of,
        coalesce(threads.is_closed_time_unknown, false) as is_closed_time_unknown,
        clocks.event_at,
        clocks.event_calendar_minutes,
        clocks.event_business_minutes

    from clocks
    inner join threads
        on clocks.ticket_id = threads.ticket_id
    cross join as_of
    left join durations
        on threads.ticket_id = durations.ticket_id
    left join clock_priorities
        on
            clocks.ticket_id = clock_priorities.ticket_id
            and clocks.sla_metric = clock_priorities.sla_metric
            and clocks.clock_sequence = clock_priorities.clock_sequence

),

matched_policies as (

    -- The most specific policy wins: a row for the ticket's priority beats the channel's
    -- any-priority row (empty priority in the seed).
    select
        ticket_metrics.ticket_id,
        ticket_metrics.sla_metric,
        ticket_metrics.clock_sequence,
        sla_policies.priority as policy_priority,
        sla_policies.target_minutes,
        sla_policies.time_basis,
        sla_policies.pauses_in

    from ticket_metrics
    inner join sla_policies
        on
            ticket_metrics.channel = sla_policies.channel
            and ticket_metrics.sla_metric = sla_policies.sla_metric
            and (sla_policies.priority is null or ticket_metrics.priority = sla_policies.priority)

    qualify row_number() over (
        partition by ticket_metrics.ticket_id, ticket_metrics.sla_metric, ticket_metrics.clock_sequence
        order by sla_policies.priority is null
    ) = 1

),

elapsed_at_as_of as (

    -- How long the clock has run at the as-of time, in both bases, for events that have not
    -- happened yet. Business minutes follow the ticket's schedule over time
    -- (macros/business_time/ticket_business_time.sql); the positions at the clock's start and
    -- at its end (event, else as-of) also bound the pauses below.
    select
        ticket_id,
        sla_metric,
        clock_sequence,
        {{ calendar_minutes('started_at', 'as_of_at') }} as calendar_minutes,
        elapsed_business_minutes as business_minutes,
        started_at_business_position_us as started_business_position_us,
        as_of_at_business_position_us as as_of_business_position_us,
        event_at_business_position_us as event_business_position_us

    from (
        {{ ticket_business_time(
            'ticket_metrics', [['started_at', 'as_of_at', 'elapsed']],
            positions=['started_at', 'as_of_at', 'event_at']
        ) }}
    ) as elapsed

),

pausing_clocks as (

    -- Clocks whose policy pauses, with the span the clock covers: to its event when that has
    -- happened, else to the as-of time.
    select
        ticket_metrics.ticket_id,
        ticket_metrics.sla_metric,
        ticket_metrics.clock_sequence,
        matched_policies.pauses_in,
        ticket_metrics.started_at,
        case
            when ticket_metrics.event_at <= ticket_metrics.as_of_at then ticket_metrics.event_at
            else ticket_metrics.as_of_at
        end as ended_at,
        elapsed_at_as_of.started_business_position_us,
        case
            when ticket_metrics.event_at <= ticket_metrics.as_of_at then elapsed_at_as_of.event_business_position_us
            else elapsed_at_as_of.as_of_business_position_us
        end as ended_business_position_us

    from ticket_metrics
    inner join matched_policies
        on
            ticket_metrics.ticket_id = matched_policies.ticket_id
            and ticket_metrics.sla_metric = matched_policies.sla_metric
            and ticket_metrics.clock_sequence = matched_policies.clock_sequence
    inner join elapsed_at_as_of
        on
            ticket_metrics.ticket_id = elapsed_at_as_of.ticket_id
            and ticket_metrics.sla_metric = elapsed_at_as_of.sla_metric
            and ticket_metrics.clock_sequence = elapsed_at_as_of.clock_sequence
    where matched_policies.pauses_in is not null

),

pauses as (

    -- The overlap of each pausing status period with the clock's span. F never decreases, so
    -- the business overlap is least(F(ends)) - greatest(F(starts)); a period without a
    -- business position (outside the calendar) makes the sum null, never a silent zero.
    select
        pausing_clocks.ticket_id,
        pausing_clocks.sla_metric,
        pausing_clocks.clock_sequence,
        sum(greatest(
            {{ epoch_microseconds('least(status_periods.measured_until_at, pausing_clocks.ended_at)') }}
            - {{ epoch_microseconds('greatest(status_periods.started_at, pausing_clocks.started_at)') }},
            0
        )) / {{ microseconds_per_minute() }} as paused_calendar_minutes,
        case
            when count(*) = count(status_periods.start_business_position_us + status_periods.until_business_position_us)
                then sum(greatest(
                    least(status_periods.until_business_position_us, pausing_clocks.ended_business_position_us)
                    - greatest(status_periods.start_business_position_us, pausing_clocks.started_business_position_us),
                    0
                )) / {{ microseconds_per_minute() }}
        end as paused_business_minutes

    from pausing_clocks
    inner join status_periods
        on
            pausing_clocks.ticket_id = status_periods.ticket_id
            and {{ delimited_list_contains('pausing_clocks.pauses_in', "','", 'status_periods.status') }}
            and pausing_clocks.ended_at > status_periods.started_at
            and pausing_clocks.started_at < status_periods.measured_until_at
    group by pausing_clocks.ticket_id, pausing_clocks.sla_metric, pausing_clocks.clock_sequence

),

measured as (

    select
        ticket_metrics.ticket_id,
        ticket_metrics.sla_metric,
        ticket_metrics.clock_sequence,
        ticket_metrics.channel,
        ticket_metrics.priority,
        ticket_metrics.is_customer_ticket,
        ticket_metrics.created_at,
        ticket_metrics.started_at,
        ticket_metrics.as_of_at,
        ticket_metrics.is_solved_at_as_of,
        ticket_metrics.is_closed_time_unknown,
        matched_policies.policy_priority,
        matched_policies.target_minutes,
        matched_policies.time_basis,
        matched_policies.pauses_in,
        -- An event after the as-of time (var as_of_at set in the past) has not happened yet.
        ticket_metrics.event_at is not null
        and ticket_metrics.event_at <= ticket_metrics.as_of_at as has_event_happened,
        case
            when ticket_metrics.event_at <= ticket_metrics.as_of_at then ticket_metrics.event_at
        end as event_at,
        -- Time in a pausing status does not count. A policy without pauses keeps its figures
        -- exactly (nothing is subtracted).
        case matched_policies.time_basis
            when 'business' then coalesce(pauses.paused_business_minutes, case when pauses.ticket_id is null then 0 end)
            when 'calendar' then coalesce(pauses.paused_calendar_minutes, 0)
        end as paused_minutes,
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
            and ticket_metrics.clock_sequence = matched_policies.clock_sequence
    left join elapsed_at_as_of
        on
            ticket_metrics.ticket_id = elapsed_at_as_of.ticket_id
            and ticket_metrics.sla_metric = elapsed_at_as_of.sla_metric
            and ticket_metrics.clock_sequence = elapsed_at_as_of.clock_sequence
    left join pauses
        on
            ticket_metrics.ticket_id = pauses.ticket_id
            and ticket_metrics.sla_metric = pauses.sla_metric
            and ticket_metrics.clock_sequence = pauses.clock_sequence

),

{#- the new elapsed times; read by name below (on Spark the replaced columns come last) -#}
{% set event_elapsed_minutes %}
            -- the paused time lies inside the elapsed span, so the difference is >= 0; doubles
            -- summed apart can leave -1e-12, set to 0 (a real excess still shows negative and
            -- fails the non_negative_durations test)
            case
                when measured.pauses_in is null then measured.event_elapsed_minutes
                when measured.event_elapsed_minutes - measured.paused_minutes between -1e-6 and 0 then 0
                else measured.event_elapsed_minutes - measured.paused_minutes
            end
{%- endset %}
{% set as_of_elapsed_minutes %}
            case
                when measured.pauses_in is null then measured.as_of_elapsed_minutes
                when measured.as_of_elapsed_minutes - measured.paused_minutes between -1e-6 and 0 then 0
                else measured.as_of_elapsed_minutes - measured.paused_minutes
            end
{%- endset %}
paused as (

    select
        {{ all_columns_replacing('measured', [
            ['event_elapsed_minutes', event_elapsed_minutes],
            ['as_of_elapsed_minutes', as_of_elapsed_minutes],
        ]) }}

    from measured

),

clock_outcomes as (

    select
        ticket_id,
        sla_metric,
        clock_sequence,
        channel,
        priority,
        is_customer_ticket,
        created_at,
        started_at,
        as_of_at,
        policy_priority,
        target_minutes,
        time_basis,
        pauses_in,
        event_at,
        case when pauses_in is not null then paused_minutes end as paused_minutes,
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
            -- time that cannot be measured (business time under a schedule nobody defines) is
            -- neither met nor breached: never a breach for want of a figure
            when has_event_happened and event_elapsed_minutes is null then 'unknown'
            when has_event_happened and event_elapsed_minutes <= target_minutes then 'met'
            when has_event_happened then 'breached'
            when as_of_elapsed_minutes is null then 'unknown'
            when as_of_elapsed_minutes > target_minutes then 'breached'
            else 'pending'
        end as sla_outcome

    from paused

),

final as (

    -- One row per ticket and metric. A ticket's next-reply SLA is met when every one of its
    -- next replies was in time: the row shows the deciding clock (the first breached, else the
    -- running one, else the last met) with its priority, target and elapsed time.
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
        elapsed_minutes,
        sla_outcome,
        started_at as clock_started_at,
        pauses_in,
        paused_minutes,
        count(*) over (partition by ticket_id, sla_metric) as clock_count,
        count(*) filter (where sla_outcome = 'breached') over (partition by ticket_id, sla_metric)
            as breached_clock_count,
        -- a clock still running moves with the as-of time even when another clock decides
        coalesce(
            bool_or(event_at is null and elapsed_minutes is not null) over (partition by ticket_id, sla_metric),
            false
        ) as has_running_clock

    from clock_outcomes

    qualify row_number() over (
        partition by ticket_id, sla_metric
        order by
            case sla_outcome when 'breached' then 1 when 'pending' then 2 else 3 end,
            case when sla_outcome = 'met' then -clock_sequence else clock_sequence end
    ) = 1

)

select * from final
