-- One row per Zendesk ticket in the helpdesk interface's columns (the same as
-- stg_gorgias__tickets). What the ticket object does not carry comes from the audits
-- (docs/decisions/zendesk.md): the close time (the last solve), the merge target and the
-- schedule; the requester's email from the users export.
with

base as (

    select * from {{ ref('base_zendesk__tickets') }}

),

audits as (

    select * from {{ ref('base_zendesk__ticket_audits') }}

),

ticket_events as (

    select * from {{ ref('stg_zendesk__ticket_events') }}

),

users as (

    select * from {{ ref('stg_zendesk__users') }}

),

tickets as (

    select * from base
    where rejection_reason is null and not is_superseded

),

merge_audits as (

    select
        ticket_id,
        occurred_at,
        via_source,
        events
    from audits
    where rejection_reason is null and not is_superseded and via_rel = 'merge'

),

-- The merged ticket's own merge audit closes it and says where it went: via.source.to, or
-- the comment Zendesk writes ("... closed and merged into request #123 ...").
merged_by_own_audit as (

    select
        ticket_id,
        coalesce(
            {{ text_as_id(json_text_at('via_source', ['to', 'ticket_id'])) }},
            try_cast(regexp_extract(
                {{ list_join_text(
                    list_map('events', 'event', 'coalesce(' ~ json_text_at('event', ['body']) ~ ", '')"), 'chr(10)'
                ) }},
                'merged into request #([0-9]+)', 1
            ) as bigint)
        ) as merged_into_ticket_id,
        occurred_at
    from merge_audits
    where {{ list_length(list_where(
        'events', 'event',
        json_text_at('event', ['type']) ~ " = 'Change' and "
        ~ json_text_at('event', ['field_name']) ~ " = 'status'"
    )) }} > 0

),

-- The target's merge audit lists the tickets merged into it (via.source.from.ticket_ids).
merged_by_target_audit as (

    select
        {{ unnest_values(json_bigint_list('via_source', '$.from.ticket_ids')) }} as ticket_id,
        ticket_id as merged_into_ticket_id,
        occurred_at
    from merge_audits

),

merge_targets as (

    select
        ticket_id,
        {{ value_of_max('merged_into_ticket_id', 'occurred_at') }} as merged_into_ticket_id
    from (
        select * from merged_by_own_audit
        where merged_into_ticket_id is not null
        union all
        select * from merged_by_target_audit
        where ticket_id is not null
    ) as found
    group by ticket_id

),

-- followup_ids on the closed ticket name its follow-ups (the follow-up's own via says it too)
followups_listed as (

    select
        {{ unnest_values('followup_ids') }} as ticket_id,
        ticket_id as followup_source_ticket_id
    from tickets

),

followup_sources as (

    select
        ticket_id,
        min(followup_source_ticket_id) as followup_source_ticket_id
    from followups_listed
    group by ticket_id

),

history as (

    select
        ticket_id,
        -- the last solve (a merge closes too): the resolution time of a solved/closed ticket
        max(occurred_at) filter (where event_type in ('closed', 'merged')) as last_solved_at,
        {{ value_of_max('value_after', 'occurred_at') }} filter (where changed_field = 'schedule') as schedule_id
    from ticket_events
    group by ticket_id

),

current_users as (

    select
        user_id,
        user_email
    from users
    where role_valid_to is null

),

final as (

    select
        ---------- ids
        tickets.ticket_id,
        tickets.customer_id,
        tickets.assignee_agent_id,
        merge_targets.merged_into_ticket_id,
        coalesce(tickets.followup_source_ticket_id, followup_sources.followup_source_ticket_id)
            as followup_source_ticket_id,
        tickets.group_id,
        history.schedule_id,

        ---------- strings
        requesters.user_email as customer_email,
        tickets.channel,
        tickets.raw_channel,
        -- an agent opening a ticket in the agent interface for a customer is the interface's
        -- `helpdesk` (agent-initiated) via
        case
            when
                tickets.via_channel in ('web', 'mobile')
                and tickets.submitter_id <> tickets.customer_id
                and submitters.role in ('agent', 'admin')
                then 'helpdesk'
            else tickets.via_channel
        end as via,
        tickets.status,
        tickets.helpdesk_status,
        tickets.priority,
        tickets.subject,
        -- a drop-down field exports its option's tag: `shipping__where_is_my_order` is the
        -- option `Shipping::Where is my order`; written as the path the reason map reads
        -- (`shipping > where is my order`: levels `__`, spaces `_`)
        nullif(replace(replace(trim(tickets.contact_reason_field), '__', ' > '), '_', ' '), '')
            as contact_reason_field,
        tickets.order_number_field,
        tickets.tags,

        ---------- booleans
        -- Zendesk has no spam flag on a ticket (suspended mail never becomes one)
        false as is_spam,
        tickets.is_deleted,
        tickets.has_mangled_order_number_field,

        ---------- timestamps
        tickets.created_at,
        case when tickets.status = 'closed' then history.last_solved_at end as closed_at,
        tickets.updated_at

    from tickets
    left join merge_targets
        on tickets.ticket_id = merge_targets.ticket_id
    left join followup_sources
        on tickets.ticket_id = followup_sources.ticket_id
    left join history
        on tickets.ticket_id = history.ticket_id
    left join current_users as requesters
        on tickets.customer_id = requesters.user_id
    left join users as submitters
        on
            tickets.submitter_id = submitters.user_id
            and tickets.created_at >= coalesce(submitters.role_valid_from, {{ timestamp_before_all() }})
            and tickets.created_at < coalesce(submitters.role_valid_to, {{ timestamp_after_all() }})

)

select * from final
