with

base as (

    select * from {{ ref('base_gorgias__tickets') }}

),

final as (

    select
        ---------- ids
        ticket_id,
        customer_id,
        assignee_agent_id,
        merged_into_ticket_id,
        -- Gorgias exports no follow-up link (Zendesk's via follow_up): the helpdesk interface
        -- column stays null, repeat contacts are found by customer and reason as always
        cast(null as bigint) as followup_source_ticket_id,
        -- no team on the export: null (docs/decisions/zendesk.md, the helpdesk interface)
        cast(null as {{ text_type() }}) as group_id,
        -- null = the channel's schedule (seed channel_schedules): Gorgias has no per-ticket schedule
        cast(null as {{ text_type() }}) as schedule_id,

        ---------- strings
        customer_email,
        channel,
        raw_channel,
        via,
        status,
        -- Gorgias has two states: a close is the resolution (Zendesk's `solved`); it has no
        -- later `closed` phase, no pending and no on-hold
        case status when 'open' then 'open' else 'solved' end as helpdesk_status,
        priority,
        subject,
        contact_reason_field,
        order_number_field,
        tags,

        ---------- booleans
        is_spam,
        false as is_deleted,  -- a deleted Gorgias ticket is not exported
        has_mangled_order_number_field,

        ---------- timestamps
        created_at,
        -- a close before creation is a close at an unknown time (macros/staging/time_order.sql)
        {{ time_or_unknown('base_gorgias__tickets', 'closed_at') }} as closed_at,
        updated_at

    from base
    where rejection_reason is null and not is_superseded

)

select * from final
