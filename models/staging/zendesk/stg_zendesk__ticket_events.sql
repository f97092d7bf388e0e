-- One row per change of a ticket's status, assignee, group, priority or schedule: the
-- Create and Change events of the usable audits (docs/decisions/zendesk.md). Other audit
-- events (comments, tags, notifications) are not ticket history and are not rows.
-- event_type: `created` (status set at creation), `closed` (a solve: -> solved, or -> closed
-- straight from an unsolved status), `reopened` (solved/closed -> unsolved), `merged` (the
-- status change of a merge audit), else `other` (e.g. solved -> closed). Status flips within
-- a minute (pending -> open -> pending) are kept: each is a real change.
with

audits as (

    select * from {{ ref('base_zendesk__ticket_audits') }}

),

value_map as (

    select * from {{ ref('staging_value_map') }}

),

unnested as (

    select
        audit_id,
        ticket_id,
        author_id,
        via_rel,
        occurred_at,
        {{ unnest_values('events') }} as audit_event
    from audits
    where rejection_reason is null and not is_superseded

),

fields as (

    select
        {{ text_as_id(json_text_at('audit_event', ['id'])) }} as ticket_event_id,
        ticket_id,
        -- -1 is Zendesk itself (a trigger, an automation, the system): no person
        nullif(author_id, '-1') as user_id,
        via_rel,
        occurred_at,
        {{ json_text_at('audit_event', ['type']) }} as audit_event_type,
        {{ json_text_at('audit_event', ['field_name']) }} as field_name,
        nullif(trim({{ json_text_at('audit_event', ['value']) }}), '') as raw_value,
        nullif(trim({{ json_text_at('audit_event', ['previous_value']) }}), '') as raw_previous_value
    from unnested
    where
        {{ json_text_at('audit_event', ['type']) }} in ('Create', 'Change')
        and {{ json_text_at('audit_event', ['field_name']) }} in {{ zendesk_tracked_audit_fields() }}

),

canonical as (

    select
        fields.*,
        case fields.field_name
            {%- for field_name, changed_field in zendesk_audit_field_map().items() %}
                when '{{ field_name }}' then '{{ changed_field }}'
            {%- endfor %}
        end as changed_field,
        case
            when fields.field_name = 'status' then status_after.canonical_value
            when fields.field_name = 'priority' then priority_after.canonical_value
            else fields.raw_value
        end as value_after,
        status_before.canonical_value as status_before
    from fields
    left join value_map as status_after
        on
            fields.field_name = 'status'
            and status_after.domain = 'zendesk_ticket_status'
            and {{ enum_key('fields.raw_value') }} = status_after.raw_value
    left join value_map as status_before
        on
            fields.field_name = 'status'
            and status_before.domain = 'zendesk_ticket_status'
            and {{ enum_key('fields.raw_previous_value') }} = status_before.raw_value
    left join value_map as priority_after
        on
            fields.field_name = 'priority'
            and priority_after.domain = 'ticket_priority'
            and {{ enum_key('fields.raw_value') }} = priority_after.raw_value

),

final as (

    select
        ---------- ids
        ticket_event_id,
        ticket_id,
        user_id,

        ---------- strings
        case
            when changed_field <> 'status' then 'other'
            when audit_event_type = 'Create' then 'created'
            when via_rel = 'merge' and value_after = 'closed' then 'merged'
            when
                value_after in ('solved', 'closed')
                and coalesce(status_before, 'open') not in ('solved', 'closed')
                then 'closed'
            when status_before in ('solved', 'closed') and value_after not in ('solved', 'closed') then 'reopened'
            else 'other'
        end as event_type,
        lower(audit_event_type || ':' || field_name) as raw_event_type,
        changed_field,
        value_after,

        ---------- timestamps
        occurred_at

    from canonical

)

select * from final
