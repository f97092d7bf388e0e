-- Allocated cost must equal finance's export to the cent for every cost month, team and
-- currency, with no pool missing on either side; and in the reporting currency, each pool's
-- rows must add up to the pool converted once (round(amount x rate) to the cent, never a
-- sum of yen and dollars). The comparison is cost_ledger_reconciliation's
-- (pools_not_reconciled); returns one row per month and currency with a pool that is off.

with

reconciliation as (

    select * from {{ ref('cost_ledger_reconciliation') }}

),

final as (

    select
        cost_month_start,
        currency,
        pools_not_reconciled
    from reconciliation
    where pools_not_reconciled > 0

)

select * from final
