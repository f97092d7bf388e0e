with

base as (

    select * from {{ ref('base_finance__support_costs') }}

),

final as (

    select
        ---------- strings
        base.team,
        base.cost_category,
        base.currency,

        ---------- numerics
        base.amount,
        -- staging quarantined every row without a rate, so neither is null here
        {{ fx_rate_to_reporting('base.currency') }} as fx_rate_to_reporting,
        cast(base.amount * {{ fx_rate_to_reporting('base.currency') }} as decimal(18, 2)) as amount_reporting,

        ---------- dates
        base.month_start

    from base
    {{ fx_rate_join('base.currency', 'base.month_start') }}
    where base.rejection_reason is null and not base.is_superseded

)

select * from final
