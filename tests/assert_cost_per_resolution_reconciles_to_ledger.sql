-- Finance's table must sum to finance's export per month and currency to the cent,
-- unallocated rows included; its reporting-currency cost must sum to the month's pools
-- converted once each (round(pool x rate) to the cent). The comparison is
-- cost_ledger_reconciliation's; returns one row per month and currency that is off.

with

reconciliation as (

    select * from {{ ref('cost_ledger_reconciliation') }}

),

final as (

    select
        cost_month_start,
        currency,
        ledger_amount,
        reported_amount,
        ledger_amount_reporting,
        reported_amount_reporting
    from reconciliation
    where
        ledger_amount is distinct from reported_amount
        or ledger_amount_reporting is distinct from reported_amount_reporting

)

select * from final
