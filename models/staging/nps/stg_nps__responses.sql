with

base as (

    select * from {{ ref('base_nps__responses') }}

),

final as (

    select
        ---------- ids
        response_id,

        ---------- strings
        customer_email,
        comment,

        ---------- numerics
        score,

        ---------- timestamps
        responded_at

    from base
    where rejection_reason is null and not is_superseded

)

select * from final
