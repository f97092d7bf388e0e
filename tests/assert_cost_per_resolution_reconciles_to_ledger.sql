-- Finance's table must sum to finance's export per month and currency to the cent,
-- unallocated rows included. Returns one row per month and currency that is off.

with

support_costs as (

    select * from {{ ref('stg_finance__support_costs') }}

),

cost_per_resolution as (

    select * from {{ ref('cost_per_resolution') }}

),

ledger as (

    select
        month_start as cost_month_start,
        currency,
        sum(amount) as ledger_amount
    from support_costs
    group by month_start, currency

),

reported as (

    select
        cost_month_start,
        currency,
        sum(allocated_cost) as reported_amount
    from cost_per_resolution
    group by cost_month_start, currency

),

final as (

    select
        coalesce(ledger.cost_month_start, reported.cost_month_start) as cost_month_start,
        coalesce(ledger.currency, reported.currency) as currency,
        ledger.ledger_amount,
        reported.reported_amount
    from ledger
    full outer join reported
        on
            ledger.cost_month_start = reported.cost_month_start
            and ledger.currency = reported.currency
    where ledger.ledger_amount is distinct from reported.reported_amount

)

select * from final
