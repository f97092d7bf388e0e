{#- Zendesk-only (not a helpdesk interface model): intermediate models read it only when var
    helpdesk = zendesk (int_zendesk_ticket_metrics). -#}
with

base as (

    select * from {{ ref('base_zendesk__ticket_metrics') }}

),

final as (

    select
        ---------- ids
        ticket_metric_id,
        ticket_id,

        ---------- numerics
        -- Zendesk's own figures in whole minutes, calendar and business side by side
        reply_time_calendar_minutes,
        reply_time_business_minutes,
        first_resolution_time_calendar_minutes,
        first_resolution_time_business_minutes,
        full_resolution_time_calendar_minutes,
        full_resolution_time_business_minutes,
        agent_wait_time_calendar_minutes,
        agent_wait_time_business_minutes,
        requester_wait_time_calendar_minutes,
        requester_wait_time_business_minutes,
        on_hold_time_calendar_minutes,
        on_hold_time_business_minutes,
        reopens,
        replies,
        assignee_stations,
        group_stations,

        ---------- timestamps
        created_at,
        solved_at,
        initially_assigned_at,
        assigned_at,
        updated_at

    from base
    where rejection_reason is null and not is_superseded

)

select * from final
