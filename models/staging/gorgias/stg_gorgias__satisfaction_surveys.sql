with

base as (

    select * from {{ ref('base_gorgias__satisfaction_surveys') }}

),

final as (

    select
        ---------- ids
        survey_id,
        ticket_id,
        customer_id,

        ---------- strings
        comment,

        ---------- numerics
        score,

        ---------- timestamps
        created_at,
        sent_at,
        scored_at

    from base
    where rejection_reason is null and not is_superseded

)

select * from final
