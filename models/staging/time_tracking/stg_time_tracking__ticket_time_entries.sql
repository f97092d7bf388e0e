with

base as (

    select * from {{ ref('base_time_tracking__ticket_time_entries') }}

),

final as (

    select
        ---------- ids
        time_entry_id,
        ticket_id,

        ---------- strings
        agent_email,

        ---------- numerics
        duration_seconds,

        ---------- timestamps
        started_at

    from base
    where rejection_reason is null and not is_superseded

)

select * from final
