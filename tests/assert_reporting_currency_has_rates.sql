-- var reporting_currency must be reachable: the currency of some finance line, or the target
-- of some rate in seed fx_rates. Otherwise every cost line is quarantined ("no FX rate") and
-- the cost marts are empty for a reason a reader of the marts would not see; this test names
-- it (a check that needs the seed and the exports, so it cannot run at run start on a fresh
-- warehouse: see macros/validation/validate_vars.sql). Returns one row when unreachable.

with

support_costs as (

    select * from {{ ref('base_finance__support_costs') }}

),

fx_rates as (

    select * from {{ ref('fx_rates') }}

),

reachable as (

    select count(*) as reasons
    from (
        select support_costs.currency
        from support_costs
        where support_costs.currency = '{{ reporting_currency() }}'
        union all
        select fx_rates.currency
        from fx_rates
        where upper(trim(fx_rates.reporting_currency)) = '{{ reporting_currency() }}'
    ) as found

),

final as (

    select
        '{{ reporting_currency() }}' as reporting_currency,
        'no finance line is in it and seed fx_rates has no rate to it' as problem
    from reachable
    where reasons = 0 and exists (select 1 from support_costs)

)

select * from final
