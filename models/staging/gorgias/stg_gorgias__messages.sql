with

base as (

    select * from {{ ref('base_gorgias__messages') }}

),

final as (

    select
        ---------- ids
        message_id,
        ticket_id,
        sender_id,
        rule_id,

        ---------- strings
        sender_email,
        via,
        body_text,

        ---------- booleans
        is_from_agent,
        is_public,

        ---------- timestamps
        created_at,
        sent_at

    from base
    where rejection_reason is null and not is_superseded

)

select * from final
