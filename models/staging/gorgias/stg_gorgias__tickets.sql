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

        ---------- strings
        customer_email,
        channel,
        raw_channel,
        via,
        status,
        priority,
        subject,
        contact_reason_field,
        order_number_field,
        tags,

        ---------- booleans
        is_spam,
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
