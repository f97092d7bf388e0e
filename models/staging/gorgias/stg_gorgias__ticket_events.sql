with

base as (

    select * from {{ ref('base_gorgias__ticket_events') }}

),

final as (

    select
        ---------- ids
        ticket_event_id,
        ticket_id,
        user_id,

        ---------- strings
        event_type,
        raw_event_type,
        -- the helpdesk interface's one-field-per-row change log: Gorgias events carry the
        -- status steps; the assignee is not on the export (user_id is who acted), so
        -- assignment events change no field here
        case when raw_event_type in ('ticket-created', 'ticket-closed', 'ticket-reopened') then 'status' end
            as changed_field,
        case raw_event_type
            when 'ticket-created' then 'open'
            when 'ticket-closed' then 'solved'
            when 'ticket-reopened' then 'open'
        end as value_after,

        ---------- timestamps
        occurred_at

    from base
    where rejection_reason is null and not is_superseded

)

select * from final
