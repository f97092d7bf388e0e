-- Finance's table must sum to finance's export per month and currency to the cent,
-- unallocated rows included; its reporting-currency cost must sum to the month's pools
-- converted once each (round(pool x rate) to the cent). Returns one row per month and
-- currency that is off.

with

support_costs as (

    select * from {{ ref('stg_finance__support_costs') }}

),

cost_per_resolution as (

    select * from {{ ref('cost_per_resolution') }}

),

-- pools as int_ticket_cost_allocations forms them (month x team x currency)
pools as (

    select
        month_start as cost_month_start,
        currency,
        sum(amount) as pool_amount,
        round(sum(amount) * max(fx_rate_to_reporting), 2) as pool_amount_reporting
    from support_costs
    group by month_start, team, currency

),

ledger as (

    select
        cost_month_start,
        currency,
        sum(pool_amount) as ledger_amount,
        sum(pool_amount_reporting) as ledger_amount_reporting
    from pools
    group by cost_month_start, currency

),

reported as (

    select
        cost_month_start,
        currency,
        sum(allocated_cost) as reported_amount,
        sum(allocated_cost_reporting) as reported_amount_reporting
    from cost_per_resolution
    group by cost_month_start, currency

),

final as (

    select
        coalesce(ledger.cost_month_start, reported.cost_month_start) as cost_month_start,
        coalesce(ledger.currency, reported.currency) as currency,
        ledger.ledger_amount,
        reported.reported_amount,
        ledger.ledger_amount_reporting,
        reported.reported_amount_reporting
    from ledger
    full outer join reported
        on
            ledger.cost_month_start = reported.cost_month_start
            and ledger.currency = reported.currency
    where
        ledger.ledger_amount is distinct from reported.reported_amount
        or ledger.ledger_amount_reporting is distinct from reported.reported_amount_reporting

)

select * from final
