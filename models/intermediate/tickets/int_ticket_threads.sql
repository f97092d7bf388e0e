{{ config(
    materialized='incremental',
    incremental_strategy=engine_incremental_strategy('rebuild_keys'),
    unique_key='ticket_id',
    rebuild_set='int_ticket_rebuild_set',
    on_schema_change='fail',
    post_hook="{{ record_rebuild_watermark() }}",
) }}
-- One row per helpdesk ticket (all tickets, including spam, outbound and merged-away ones, but
-- not the ones the helpdesk deleted),
-- with its conversation summary, direction, merge survivor and solve/reopen history.

{#- Merge chains longer than this are treated as cycles in the export and stop here. -#}
{%- set max_merge_depth = 50 %}

-- depends_on: {{ ref('int_ticket_rebuild_set') }}
with recursive

-- all tickets: a merge chain can pass through tickets this run does not rebuild
tickets as (
    select * from {{ ref(helpdesk_model('tickets')) }}
),

rebuilt_tickets as (
    select * from tickets
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

vias as (
    select * from {{ ref('helpdesk_vias') }}
),

-- every ticket reachable from a merged-away ticket by following merged_into_ticket_id
merge_steps as (
    select
        ticket_id,
        merged_into_ticket_id as reached_ticket_id,
        1 as merge_depth
    from rebuilt_tickets
    where
        merged_into_ticket_id is not null
        and merged_into_ticket_id != ticket_id

    union all

    select
        merge_steps.ticket_id,
        tickets.merged_into_ticket_id as reached_ticket_id,
        merge_steps.merge_depth + 1 as merge_depth
    from merge_steps
    inner join tickets
        on merge_steps.reached_ticket_id = tickets.ticket_id
    where
        tickets.merged_into_ticket_id is not null
        and tickets.merged_into_ticket_id != merge_steps.ticket_id
        and tickets.merged_into_ticket_id != tickets.ticket_id
        and merge_steps.merge_depth < {{ max_merge_depth }}
),

merge_survivors as (
    select
        ticket_id,
        {{ arg_max_of('reached_ticket_id', 'merge_depth') }} as merged_into_ticket_id
    from merge_steps
    group by ticket_id
),

message_summary as (
    select
        ticket_id,
        min(created_at) filter (where author_type = 'customer') as first_customer_message_at,
        {{ arg_min_of('body_text', 'message_sequence', where="author_type = 'customer'") }}
            as first_customer_message_text,
        min(created_at) filter (where is_human_reply) as first_human_reply_at,
        count(*) filter (where is_human_reply) as human_reply_count,
        -- every human action on the ticket, public or not
        count(*) filter (
            where author_type in ('human_agent', 'internal_note') and not is_automated
        ) as agent_touch_count,
        count(*) filter (where author_type = 'bot') as bot_message_count,
        count(*) filter (where author_type = 'internal_note') as internal_note_count,
        count(*) as message_count,
        {{ arg_min_of('author_type', 'message_sequence') }} as first_author_type,
        {{ arg_min_of('author_type', 'message_sequence', where='is_public') }} as first_public_author_type,
        max(created_at) as last_message_at
    from messages
    group by ticket_id
),

event_summary as (
    select
        ticket_id,
        min(occurred_at) filter (where event_type = 'closed') as first_close_event_at,
        max(occurred_at) filter (where event_type = 'closed') as last_close_event_at,
        count(*) filter (where event_type = 'closed') as close_event_count,
        -- every reopen counts, even one before the first close we know of: that close may
        -- have been quarantined (unparseable time), and a ticket is only reopened after a solve
        count(*) filter (where event_type = 'reopened') as reopen_event_count,
        max(occurred_at) filter (where event_type = 'reopened') as last_reopen_event_at
    from events
    group by ticket_id
),

solve_bounds as (
    select
        tickets.ticket_id,
        -- closed_at (the ticket's last close) stands in when the events export lacks closes;
        -- a close event within the clock skew before creation counts as at creation
        {{ not_before('least(event_summary.first_close_event_at, tickets.closed_at)', 'tickets.created_at') }}
            as first_solved_at,
        {{ not_before('greatest(event_summary.last_close_event_at, tickets.closed_at)', 'tickets.created_at') }}
            as last_closed_at,
        coalesce(event_summary.close_event_count, 0) as close_event_count,
        coalesce(event_summary.reopen_event_count, 0) as reopen_event_count,
        event_summary.last_reopen_event_at
    from rebuilt_tickets as tickets
    left join event_summary
        on tickets.ticket_id = event_summary.ticket_id
),

joined as (
    select
        tickets.ticket_id,
        tickets.customer_id,
        tickets.customer_email,
        tickets.assignee_agent_id,
        tickets.channel,
        tickets.via,
        tickets.priority,
        tickets.status,
        tickets.subject,
        tickets.tags,
        tickets.contact_reason_field,
        tickets.order_number_field,
        tickets.created_at,
        tickets.closed_at,
        coalesce(tickets.is_spam, false) as is_spam,
        coalesce(tickets.is_deleted, false) as is_deleted,
        merge_survivors.merged_into_ticket_id,
        merge_survivors.merged_into_ticket_id is not null as is_merged,
        tickets.followup_source_ticket_id,
        case
            when message_summary.first_public_author_type in ('human_agent', 'bot') then 'outbound'
            when
                coalesce(vias.is_agent_initiated, false)
                and coalesce(message_summary.first_author_type, 'none') != 'customer'
                then 'outbound'
            else 'inbound'
        end as direction,
        message_summary.first_customer_message_at,
        message_summary.first_customer_message_text,
        -- a reply within the clock skew before creation counts as at creation (FRT 0, never negative)
        {{ not_before('message_summary.first_human_reply_at', 'tickets.created_at') }} as first_human_reply_at,
        coalesce(message_summary.human_reply_count, 0) as human_reply_count,
        coalesce(message_summary.agent_touch_count, 0) as agent_touch_count,
        coalesce(message_summary.bot_message_count, 0) as bot_message_count,
        coalesce(message_summary.internal_note_count, 0) as internal_note_count,
        coalesce(message_summary.message_count, 0) as message_count,
        message_summary.last_message_at,
        solve_bounds.first_solved_at,
        -- open now: the export says open, or it was reopened after its last close
        tickets.status = 'open'
        or coalesce(solve_bounds.last_reopen_event_at > solve_bounds.last_closed_at, false) as is_open,
        solve_bounds.last_closed_at,
        -- two closes imply a reopen in between, even when the reopen event is missing
        greatest(solve_bounds.reopen_event_count, solve_bounds.close_event_count - 1) as reopen_count
    from rebuilt_tickets as tickets
    left join merge_survivors
        on tickets.ticket_id = merge_survivors.ticket_id
    left join message_summary
        on tickets.ticket_id = message_summary.ticket_id
    left join solve_bounds
        on tickets.ticket_id = solve_bounds.ticket_id
    left join vias
        on lower(tickets.via) = vias.via
),

final as (
    select
        ticket_id,
        customer_id,
        customer_email,
        assignee_agent_id,
        channel,
        via,
        priority,
        status,
        subject,
        tags,
        contact_reason_field,
        order_number_field,
        created_at,
        direction,
        is_spam,
        is_merged,
        merged_into_ticket_id,
        -- the closed ticket this one follows up (Zendesk follow-ups; null for Gorgias): it joins
        -- that ticket's issue in int_ticket_issues
        followup_source_ticket_id,
        direction = 'inbound' and not is_spam and not is_merged and not is_deleted as is_customer_ticket,
        -- Why a ticket is outside every KPI denominator; null for customer tickets (the
        -- inbound ones left). Precedence deleted > spam > merged > outbound so the counts never overlap.
        case
            when is_deleted then 'deleted'
            when is_spam then 'spam'
            when is_merged then 'merged'
            when direction = 'outbound' then 'outbound'
            when direction = 'inbound' then null
            else 'other'
        end as exclusion_reason,
        first_customer_message_at,
        first_customer_message_text,
        first_human_reply_at,
        human_reply_count,
        agent_touch_count,
        bot_message_count,
        internal_note_count,
        message_count,
        first_solved_at,
        case when not is_open then last_closed_at end as last_solved_at,
        not is_open and last_closed_at is not null as is_solved,
        is_open,
        -- Closed by its status, but neither closed_datetime nor a close event says when: not
        -- open (kept out of the backlog), not solved (kept out of every time KPI), counted
        -- in data_quality_summary. Never "open forever".
        not is_open and last_closed_at is null as is_closed_time_unknown,
        reopen_count,
        reopen_count > 0 as is_reopened,
        closed_at,
        last_message_at
    from joined
)

select * from final
