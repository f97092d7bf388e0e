{{ config(
    materialized='incremental',
    incremental_strategy=engine_incremental_strategy('rebuild_keys'),
    unique_key='ticket_id',
    rebuild_set='int_ticket_rebuild_set',
    on_schema_change='fail',
    post_hook=[
        "{{ refresh_as_of_at_column('select max(as_of_at) from ' ~ ref('int_ticket_sla_outcomes')) }}",
        "{{ record_rebuild_watermark('select max(as_of_at) from ' ~ this) }}",
    ],
) }}
{#- Besides the rebuild set (macros/incremental/keyed_rebuild.sql), two kinds of rows change
    without a new export row of their own, so they are rebuilt too:
      - rows that move with the as-of time: an SLA still pending or a clock still running (as
        in int_ticket_sla_outcomes), an event after the earlier of the last build's and this
        run's as-of time, or a repeat window that closes (or reopens) between the two;
      - tickets whose share of a cost pool changed: a new handled ticket, a new time entry or
        a restated finance month re-splits the whole month's pool. Only the months
        int_ticket_cost_allocations re-split since this mart's last build are compared
        (comparing every ticket's cost took most of a 10M-ticket daily run, and its memory). -#}
{%- set state = rebuild_state(this.identifier) or {} %}
{%- set clock_rows_to_refresh -%}
    select previous.ticket_id
    from {{ this }} as previous
    cross join (select max(sla.as_of_at) as as_of_at from {{ ref('int_ticket_sla_outcomes') }} as sla) as current_run
    where
        'pending' in (previous.first_response_sla_outcome, previous.resolution_sla_outcome, previous.next_reply_sla_outcome)
        or previous.next_reply_sla_has_running_clock
        or (previous.first_human_reply_at is null and previous.first_response_sla_elapsed_minutes is not null)
        or (previous.last_solved_at is null and previous.resolution_sla_elapsed_minutes is not null)
        or (
            (previous.first_human_reply_at is null or previous.last_solved_at is null)
            and {{ as_of_moved_back('previous.as_of_at', 'current_run.as_of_at') }}
        )
        or previous.first_human_reply_at > least(previous.as_of_at, current_run.as_of_at)
        or previous.last_solved_at > least(previous.as_of_at, current_run.as_of_at)
        or previous.last_solved_at + {{ interval_days(var('repeat_window_days')) }}
        between least(previous.as_of_at, current_run.as_of_at) and greatest(previous.as_of_at, current_run.as_of_at)
{%- endset %}
{%- set resplit_months -%}
    select distinct resplit.cost_month_start
    from {{ ref('int_ticket_cost_allocations') }} as resplit
    where resplit.allocated_at > {{ loaded_after(state.get('built_at')) }}
{%- endset %}
{%- set cost_rows_to_refresh -%}
    select coalesce(allocated.ticket_id, previous.ticket_id)
    from (
        select * from cost_by_ticket
        where cost_by_ticket.cost_month_start in ({{ resplit_months }})
    ) as allocated
    full outer join (
        select ticket_id, cost_month_start, cost_currency, allocated_cost, allocated_cost_reporting
        from {{ this }}
        where cost_month_start in ({{ resplit_months }})
    ) as previous
        on allocated.ticket_id = previous.ticket_id
    where
        (allocated.cost_month_start, allocated.cost_currency, allocated.allocated_cost, allocated.allocated_cost_reporting)
        is distinct from
        (previous.cost_month_start, previous.cost_currency, previous.allocated_cost, previous.allocated_cost_reporting)
{%- endset %}
-- depends_on: {{ ref('int_ticket_rebuild_set') }}
with

-- tickets whose clocks or windows moved with the as-of time (none on a full build)
clock_refresh_ids {{ cte_as_materialized() }} (  -- noqa: ST03

    {{ rebuild_extra_keys(clock_rows_to_refresh) }}

),

-- a rebuild run reads the costs of the tickets it rebuilds and of the re-split months
cost_allocations as (

    select * from {{ ref('int_ticket_cost_allocations') }}
    {{ rebuild_filter(also_cte='clock_refresh_ids', or_condition='cost_month_start in (' ~ resplit_months ~ ')') }}

),

cost_by_ticket as (

    -- A handled ticket can receive cost from several finance teams (its channel's team and
    -- `all`) in the month of its first human reply; unallocated pool rows have no ticket.
    -- Pools in different currencies are added only once converted (the *_reporting amounts);
    -- the ledger-currency sum is kept only when every pool shares one currency.
    select
        ticket_id,
        min(cost_month_start) as cost_month_start,
        {{ ordered_string_agg('currency', ',', 'currency', is_distinct=true) }} as cost_currency,
        cast(
            case when count(distinct currency) = 1 then sum(allocated_amount) end as decimal(18, 2)
        ) as allocated_cost,
        cast(sum(allocated_amount_reporting) as decimal(18, 2)) as allocated_cost_reporting

    from cost_allocations
    where ticket_id is not null
    group by ticket_id

),

-- tickets rebuilt besides the rebuild set (none on a full build; read by rebuild_filter)
refresh_ids {{ cte_as_materialized() }} (  -- noqa: ST03

    select clock_refresh_ids.ticket_id from clock_refresh_ids
    union
    {{ rebuild_extra_keys(cost_rows_to_refresh) }}

),

threads as (

    select * from {{ ref('int_ticket_threads') }}
    {{ rebuild_filter(also_cte='refresh_ids') }}

),

contact_reasons as (

    select * from {{ ref('int_ticket_contact_reasons') }}
    {{ rebuild_filter(also_cte='refresh_ids') }}

),

ticket_orders as (

    select * from {{ ref('int_ticket_orders') }}
    {{ rebuild_filter(also_cte='refresh_ids') }}

),

issues as (

    select * from {{ ref('int_ticket_issues') }}
    {{ rebuild_filter(also_cte='refresh_ids') }}

),

handle_times as (

    select * from {{ ref('int_ticket_handle_times') }}
    {{ rebuild_filter(also_cte='refresh_ids') }}

),

people as (

    select * from {{ ref('int_ticket_people') }}
    {{ rebuild_filter(also_cte='refresh_ids') }}

),

durations as (

    select * from {{ ref('int_ticket_business_durations') }}
    {{ rebuild_filter(also_cte='refresh_ids') }}

),

sla_outcomes as (

    select * from {{ ref('int_ticket_sla_outcomes') }}
    {{ rebuild_filter(also_cte='refresh_ids') }}

),

status_times as (

    select * from {{ ref('int_ticket_status_times') }}
    {{ rebuild_filter(also_cte='refresh_ids') }}

),

sla_by_ticket as (

    select
        ticket_id,
        {{ any_value_ignore_nulls("as_of_at") }} as as_of_at,
        {{ any_value_ignore_nulls("case when sla_metric = 'first_response' then sla_outcome end") }}
            as first_response_sla_outcome,
        {{ any_value_ignore_nulls("case when sla_metric = 'first_response' then target_minutes end") }}
            as first_response_sla_target_minutes,
        {{ any_value_ignore_nulls("case when sla_metric = 'first_response' then time_basis end") }}
            as first_response_sla_time_basis,
        {{ any_value_ignore_nulls("case when sla_metric = 'first_response' then elapsed_minutes end") }}
            as first_response_sla_elapsed_minutes,
        {{ any_value_ignore_nulls("case when sla_metric = 'resolution' then sla_outcome end") }}
            as resolution_sla_outcome,
        {{ any_value_ignore_nulls("case when sla_metric = 'resolution' then target_minutes end") }}
            as resolution_sla_target_minutes,
        {{ any_value_ignore_nulls("case when sla_metric = 'resolution' then time_basis end") }}
            as resolution_sla_time_basis,
        {{ any_value_ignore_nulls("case when sla_metric = 'resolution' then elapsed_minutes end") }}
            as resolution_sla_elapsed_minutes,
        {{ any_value_ignore_nulls("case when sla_metric = 'next_reply' then sla_outcome end") }}
            as next_reply_sla_outcome,
        {{ any_value_ignore_nulls("case when sla_metric = 'next_reply' then clock_count end") }}
            as next_reply_sla_clock_count,
        {{ any_value_ignore_nulls("case when sla_metric = 'next_reply' then breached_clock_count end") }}
            as next_reply_sla_breached_clock_count,
        coalesce({{ any_value_ignore_nulls("case when sla_metric = 'next_reply' then has_running_clock end") }}, false)
            as next_reply_sla_has_running_clock

    from sla_outcomes
    group by ticket_id

),

joined as (

    select
        threads.*,
        contact_reasons.contact_reason,
        contact_reasons.reason_source,
        ticket_orders.order_id,
        ticket_orders.order_number,
        ticket_orders.order_link_source,
        issues.issue_id,
        issues.issue_ticket_sequence,
        coalesce(issues.is_repeat_contact, false) as is_repeat_contact,
        coalesce(issues.has_repeat_within_window, false) as has_repeat_within_window,
        handle_times.handle_minutes,
        handle_times.handle_time_source,
        people.group_id,
        people.agent_id_at_solve,
        people.agent_at_solve_source,
        people.group_id_at_solve,
        people.group_at_solve_source,
        durations.schedule_id,
        durations.first_response_calendar_minutes,
        durations.first_response_business_minutes,
        durations.first_resolution_calendar_minutes,
        durations.first_resolution_business_minutes,
        durations.full_resolution_calendar_minutes,
        durations.full_resolution_business_minutes,
        sla_by_ticket.as_of_at,
        sla_by_ticket.first_response_sla_outcome,
        sla_by_ticket.first_response_sla_target_minutes,
        sla_by_ticket.first_response_sla_time_basis,
        sla_by_ticket.first_response_sla_elapsed_minutes,
        sla_by_ticket.resolution_sla_outcome,
        sla_by_ticket.resolution_sla_target_minutes,
        sla_by_ticket.resolution_sla_time_basis,
        sla_by_ticket.resolution_sla_elapsed_minutes,
        sla_by_ticket.next_reply_sla_outcome,
        sla_by_ticket.next_reply_sla_clock_count,
        sla_by_ticket.next_reply_sla_breached_clock_count,
        coalesce(sla_by_ticket.next_reply_sla_has_running_clock, false) as next_reply_sla_has_running_clock,
        cost_by_ticket.cost_month_start,
        cost_by_ticket.cost_currency,
        cost_by_ticket.allocated_cost,
        cost_by_ticket.allocated_cost_reporting,
        status_times.requester_wait_calendar_minutes,
        status_times.requester_wait_business_minutes,
        status_times.agent_work_calendar_minutes,
        status_times.agent_work_business_minutes,
        status_times.agent_wait_calendar_minutes,
        status_times.agent_wait_business_minutes,
        status_times.on_hold_calendar_minutes,
        status_times.on_hold_business_minutes,
        status_times.solved_before_reopen_calendar_minutes,
        status_times.solved_before_reopen_business_minutes

    from threads
    left join contact_reasons
        on threads.ticket_id = contact_reasons.ticket_id
    left join ticket_orders
        on threads.ticket_id = ticket_orders.ticket_id
    left join issues
        on threads.ticket_id = issues.ticket_id
    left join handle_times
        on threads.ticket_id = handle_times.ticket_id
    left join people
        on threads.ticket_id = people.ticket_id
    left join durations
        on threads.ticket_id = durations.ticket_id
    left join sla_by_ticket
        on threads.ticket_id = sla_by_ticket.ticket_id
    left join cost_by_ticket
        on threads.ticket_id = cost_by_ticket.ticket_id
    left join status_times
        on threads.ticket_id = status_times.ticket_id

),

final as (

    select
        -- ids
        ticket_id,
        customer_id,
        customer_email,
        merged_into_ticket_id,
        issue_id,
        order_id,
        order_number,
        -- who has the ticket now, and who had it at its last solve (int_ticket_people)
        assignee_agent_id,
        group_id,
        agent_id_at_solve,
        group_id_at_solve,

        -- attributes
        channel,
        priority,
        status,
        direction,
        -- why a ticket is outside every KPI denominator (int_ticket_threads)
        exclusion_reason,
        contact_reason,
        reason_source,
        order_link_source,
        schedule_id,
        agent_at_solve_source,
        group_at_solve_source,

        -- flags
        is_spam,
        is_merged,
        is_customer_ticket,
        first_human_reply_at is not null as is_answered,
        is_solved,
        -- closed, but no close time anywhere: out of the backlog and the time KPIs
        coalesce(is_closed_time_unknown, false) as is_closed_time_unknown,
        reopen_count > 0 as is_reopened,
        is_repeat_contact,
        has_repeat_within_window,
        is_customer_ticket
        and is_solved
        and reopen_count = 0
        and not has_repeat_within_window as is_fcr,
        is_customer_ticket
        and is_solved
        and reopen_count = 0
        and human_reply_count = 1 as is_one_touch,
        -- two and more than two public human replies, reopened or not (Zendesk's touches)
        is_customer_ticket
        and is_solved
        and human_reply_count = 2 as is_two_touch,
        is_customer_ticket
        and is_solved
        and human_reply_count > 2 as is_multi_touch,
        -- FCR can still be lost while the repeat window after the last solve is open.
        coalesce(
            is_solved and last_solved_at + {{ interval_days(var('repeat_window_days')) }} > as_of_at, false
        ) as is_repeat_window_open,

        -- counts
        issue_ticket_sequence,
        human_reply_count,
        reopen_count,

        -- timestamps and dates
        created_at,
        {{ reporting_date('created_at') }} as created_date,
        first_human_reply_at,
        first_solved_at,
        last_solved_at,

        -- durations: calendar and business minutes side by side
        first_response_calendar_minutes,
        first_response_business_minutes,
        first_resolution_calendar_minutes,
        first_resolution_business_minutes,
        full_resolution_calendar_minutes,
        full_resolution_business_minutes,
        handle_minutes,
        handle_time_source,

        -- SLA outcomes (seed sla_policies)
        first_response_sla_outcome,
        first_response_sla_target_minutes,
        first_response_sla_time_basis,
        first_response_sla_elapsed_minutes,
        resolution_sla_outcome,
        resolution_sla_target_minutes,
        resolution_sla_time_basis,
        resolution_sla_elapsed_minutes,
        -- next reply: null when the customer never wrote after a human reply
        next_reply_sla_outcome,
        next_reply_sla_clock_count,
        next_reply_sla_breached_clock_count,
        next_reply_sla_has_running_clock,
        as_of_at,

        -- support cost allocated by finance's ledger (int_ticket_cost_allocations)
        cost_month_start,
        cost_currency,
        allocated_cost,
        '{{ reporting_currency() }}' as reporting_currency,
        allocated_cost_reporting,

        -- status history until the last solve (int_ticket_status_times; null while unsolved)
        requester_wait_calendar_minutes,
        requester_wait_business_minutes,
        agent_work_calendar_minutes,
        agent_work_business_minutes,
        agent_wait_calendar_minutes,
        agent_wait_business_minutes,
        on_hold_calendar_minutes,
        on_hold_business_minutes,
        solved_before_reopen_calendar_minutes,
        solved_before_reopen_business_minutes

    from joined

)

select * from final
