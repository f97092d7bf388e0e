{{ config(
    materialized='incremental',
    incremental_strategy=engine_incremental_strategy('rebuild_keys'),
    unique_key='ticket_id',
    rebuild_set='int_ticket_rebuild_set',
    on_schema_change='fail',
    post_hook="{{ record_rebuild_watermark() }}",
) }}
-- Agent and group of each ticket, now and at its last solve (docs/decisions/team_performance.md).
-- At the solve, the change log decides where it covers the solve; the current value stands in
-- when nothing changed it since the solve; for the agent, the author of the last human reply
-- before the solve comes last. A solved ticket none of these names is handled by no agent.

-- depends_on: {{ ref('int_ticket_rebuild_set') }}
with

tickets as (
    select * from {{ ref(helpdesk_model('tickets')) }}
    {{ rebuild_filter() }}
),

threads as (
    select * from {{ ref('int_ticket_threads') }}
    {{ rebuild_filter() }}
),

events as (
    select * from {{ ref(helpdesk_model('ticket_events')) }}
    {{ rebuild_filter() }}
),

messages as (
    select * from {{ ref('int_ticket_messages') }}
    {{ rebuild_filter() }}
),

-- per ticket and field (assignee, group): the value the change log gives at the last solve
-- (null = cleared), and whether anything changed the field after that solve
changes_at_solve as (
    select
        events.ticket_id,
        events.changed_field,
        -- arg_max_null: a change that clears the field (null value) counts as the latest
        {{ arg_max_null_of(
            'events.value_after', ['events.occurred_at', 'events.ticket_event_id'],
            where='events.occurred_at <= threads.last_solved_at',
        ) }} as value_at_solve,
        count(*) filter (where events.occurred_at <= threads.last_solved_at) as changes_until_solve,
        count(*) filter (where events.occurred_at > threads.last_solved_at) as changes_after_solve
    from events
    inner join threads
        on events.ticket_id = threads.ticket_id
    where
        events.changed_field in ('assignee', 'group')
        and threads.last_solved_at is not null
    group by events.ticket_id, events.changed_field
),

-- the last public human reply at or before the last solve (its author is an agent at the
-- message time: int_ticket_messages)
last_replies as (
    select
        messages.ticket_id,
        {{ arg_max_of('messages.sender_id', 'messages.message_sequence') }} as last_reply_sender_id
    from messages
    inner join threads
        on messages.ticket_id = threads.ticket_id
    where
        messages.is_human_reply
        and messages.created_at <= threads.last_solved_at
    group by messages.ticket_id
),

joined as (
    select
        tickets.ticket_id,
        tickets.assignee_agent_id,
        tickets.group_id,
        threads.last_solved_at,
        assignee_changes.value_at_solve as assignee_event_agent_id,
        coalesce(assignee_changes.changes_until_solve, 0) > 0 as has_assignee_change_until_solve,
        coalesce(assignee_changes.changes_after_solve, 0) > 0 as has_assignee_change_after_solve,
        group_changes.value_at_solve as group_event_group_id,
        coalesce(group_changes.changes_until_solve, 0) > 0 as has_group_change_until_solve,
        coalesce(group_changes.changes_after_solve, 0) > 0 as has_group_change_after_solve,
        last_replies.last_reply_sender_id
    from tickets
    inner join threads
        on tickets.ticket_id = threads.ticket_id
    left join changes_at_solve as assignee_changes
        on
            tickets.ticket_id = assignee_changes.ticket_id
            and assignee_changes.changed_field = 'assignee'
    left join changes_at_solve as group_changes
        on
            tickets.ticket_id = group_changes.ticket_id
            and group_changes.changed_field = 'group'
    left join last_replies
        on tickets.ticket_id = last_replies.ticket_id
),

sourced as (
    select
        *,
        case
            when last_solved_at is null then null
            when has_assignee_change_until_solve and assignee_event_agent_id is not null then 'assignee_event'
            when not has_assignee_change_after_solve and assignee_agent_id is not null then 'current_assignee'
            when last_reply_sender_id is not null then 'last_human_reply'
            else 'none'
        end as agent_at_solve_source,
        case
            when last_solved_at is null then null
            when has_group_change_until_solve and group_event_group_id is not null then 'group_event'
            when not has_group_change_after_solve and group_id is not null then 'current_group'
            else 'none'
        end as group_at_solve_source
    from joined
),

final as (
    select
        ticket_id,
        assignee_agent_id,
        group_id,
        case agent_at_solve_source
            when 'assignee_event' then assignee_event_agent_id
            when 'current_assignee' then assignee_agent_id
            when 'last_human_reply' then last_reply_sender_id
        end as agent_id_at_solve,
        agent_at_solve_source,
        case group_at_solve_source
            when 'group_event' then group_event_group_id
            when 'current_group' then group_id
        end as group_id_at_solve,
        group_at_solve_source
    from sourced
)

select * from final
