with

base as (

    select * from {{ ref('base_finance__support_costs') }}

),

final as (

    select
        ---------- strings
        team,
        cost_category,
        currency,

        ---------- numerics
        amount,

        ---------- dates
        month_start

    from base
    where rejection_reason is null and not is_superseded

)

select * from final
